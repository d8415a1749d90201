using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;

namespace UsageProcessor.Metering.Partition;

/// <summary>A long string property written as several properties (<c>Name</c>, <c>Name2</c>, <c>Name3</c>...), each at most <see cref="AccountRowBudget.ChunkChars"/> characters.</summary>
/// <remarks>
/// Azure refuses a string property over 32,768 characters; a list whose worst case passes that is split so every
/// chunk stays at half of it. A row written before chunks has the whole string in <c>Name</c>, which reads the same.
/// A replace writes only the chunks used; a merge writes every slot (unused ones empty), so a shorter list leaves no stale chunk.
/// </remarks>
internal static class RowChunks
{
    /// <summary>The property name of chunk <paramref name="index"/> (0-based) of <paramref name="name"/>.</summary>
    public static string Slot(string name, int index) => index == 0 ? name : string.Concat(name, (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Writes <paramref name="text"/> into <paramref name="slots"/> properties of <paramref name="entity"/>.</summary>
    /// <exception cref="InvalidOperationException">The text needs more slots: a limit of <see cref="AccountRowBudget"/> was not enforced.</exception>
    public static void Write(TableEntity entity, string name, string text, int slots, bool forMerge = false)
    {
        if (text.Length > slots * AccountRowBudget.ChunkChars)
        {
            throw new InvalidOperationException(
                $"The account row's {name} takes {text.Length} characters, more than its {slots} chunks of {AccountRowBudget.ChunkChars}; a limit of AccountRowBudget was not enforced.");
        }

        var used = Math.Max(1, (text.Length + AccountRowBudget.ChunkChars - 1) / AccountRowBudget.ChunkChars);
        for (var i = 0; i < (forMerge ? slots : used); i++)
        {
            var start = Math.Min(text.Length, i * AccountRowBudget.ChunkChars);
            var length = Math.Min(AccountRowBudget.ChunkChars, text.Length - start);
            entity[Slot(name, i)] = text.Substring(start, length);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote (or a whole string written before chunks); empty when absent.</summary>
    public static string Read(TableEntity entity, string name)
    {
        var first = entity.GetString(name) ?? string.Empty;
        if (first.Length < AccountRowBudget.ChunkChars)
        {
            return first;
        }

        var text = new System.Text.StringBuilder(first);
        for (var i = 1; entity.GetString(Slot(name, i)) is { Length: > 0 } chunk; i++)
        {
            text.Append(chunk);
        }

        return text.ToString();
    }
}
