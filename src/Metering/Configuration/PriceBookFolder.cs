using Microsoft.Extensions.Options;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Configuration;

/// <summary>Loads the price book versions: the embedded book and every <c>*.json</c> book of the operator's folder.</summary>
public static class PriceBookFolder
{
    /// <summary>The catalog of the embedded book and the books in <paramref name="folder"/> (none when it is empty).</summary>
    /// <exception cref="InvalidOperationException">The folder is missing, a book is invalid, or two books share an id or an effective instant; the message says which.</exception>
    public static PriceBookCatalog Load(string? folder)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            return PriceBookCatalog.Embedded();
        }

        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"Metering:PriceBooksPath: the folder '{folder}' does not exist.");
        }

        var books = new List<PriceBook>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                books.Add(PriceBook.LoadFile(file));
            }
            catch (PriceBookFormatException e)
            {
                throw new InvalidOperationException($"Metering:PriceBooksPath: the price book {e.Message}", e);
            }
        }

        try
        {
            return PriceBookCatalog.WithEmbedded(books);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Metering:PriceBooksPath: {e.Message.Replace(" (Parameter 'books')", string.Empty, StringComparison.Ordinal)}", e);
        }
    }
}

/// <summary>Refuses to start when the price book folder cannot be loaded, naming the book and the reason.</summary>
internal sealed class PriceBookFolderValidation : IValidateOptions<MeteringOptions>
{
    public ValidateOptionsResult Validate(string? name, MeteringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            _ = PriceBookFolder.Load(options.PriceBooksPath);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
