namespace UsageProcessor.Host.Commands;

/// <summary>A command line split into positional words and <c>--name value</c> / <c>--name=value</c> / <c>--flag</c> options.</summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private CommandArguments(List<string> positional) => Positional = positional;

    /// <summary>The words that are not options, in order.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> name the options that take no value.</summary>
    /// <exception cref="CommandLineException">An option is unknown or lacks its value.</exception>
    public static CommandArguments Parse(IEnumerable<string> args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(valued);
        ArgumentNullException.ThrowIfNull(flags);
        var positional = new List<string>();
        var parsed = new CommandArguments(positional);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positional.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (flags.Contains(name))
            {
                parsed._options[name] = equals < 0 ? null : arg[(equals + 1)..];
            }
            else if (valued.Contains(name))
            {
                if (equals >= 0)
                {
                    parsed._options[name] = arg[(equals + 1)..];
                }
                else if (e.MoveNext())
                {
                    parsed._options[name] = e.Current;
                }
                else
                {
                    throw new CommandLineException($"--{name} needs a value.");
                }
            }
            else
            {
                throw new CommandLineException($"Unknown option --{name}.");
            }
        }

        return parsed;
    }

    /// <summary>The value of <c>--name</c>, or null when absent.</summary>
    public string? Value(string name) => _options.TryGetValue(name, out var value) ? value : null;

    /// <summary>Whether <c>--name</c> was given.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>The value of <c>--name</c> as a whole number from 1, or <paramref name="fallback"/> when absent.</summary>
    public int PositiveInt(string name, int fallback)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new CommandLineException($"--{name} must be a whole number from 1; got '{text}'.");
    }

    /// <summary>A flag that may also be written <c>--name=true|false</c>, or turned off with <c>--no-name</c>.</summary>
    public bool Switch(string name, bool fallback)
    {
        if (Has("no-" + name))
        {
            return false;
        }

        if (!Has(name))
        {
            return fallback;
        }

        return Value(name) switch
        {
            null => true,
            var text when bool.TryParse(text, out var on) => on,
            var text => throw new CommandLineException($"--{name} takes true or false; got '{text}'."),
        };
    }
}

/// <summary>A command line that cannot be run; the message says why.</summary>
public sealed class CommandLineException(string message) : Exception(message);
