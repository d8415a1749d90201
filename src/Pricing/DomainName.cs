using System.Buffers;

namespace UsageProcessor.Pricing;

/// <summary>The syntax of a <c>family.name</c> domain.</summary>
public static class DomainName
{
    /// <summary>The longest domain accepted.</summary>
    public const int MaxLength = 128;

    // Vectorised membership tests: the domain check runs on every quote, so it is kept off the per-character path.
    private static readonly SearchValues<char> DomainChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_.");
    private static readonly SearchValues<char> FamilyChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>Splits a domain into family and name when it is well formed: lowercase letters, digits, '-', '_' and '.'.</summary>
    public static bool TrySplit(ReadOnlySpan<char> domain, out ReadOnlySpan<char> family, out ReadOnlySpan<char> name)
    {
        family = default;
        name = default;
        if (domain.Length is 0 or > MaxLength)
        {
            return false;
        }

        var dot = domain.IndexOf('.');
        if (dot <= 0 || dot == domain.Length - 1)
        {
            return false;
        }

        if (domain.ContainsAnyExcept(DomainChars))
        {
            return false;
        }

        var familyPart = domain[..dot];
        var namePart = domain[(dot + 1)..];
        if (!IsValidFamily(familyPart) || namePart[0] == '.' || namePart[^1] == '.')
        {
            return false;
        }

        family = familyPart;
        name = namePart;
        return true;
    }

    /// <summary>Whether <paramref name="family"/> is lowercase letters, digits and '-', starting with a letter.</summary>
    public static bool IsValidFamily(ReadOnlySpan<char> family)
    {
        if (family.IsEmpty || !char.IsAsciiLetterLower(family[0]))
        {
            return false;
        }

        return !family.ContainsAnyExcept(FamilyChars);
    }
}
