using System.Globalization;
using System.Text;

namespace UsageProcessor.Infra.Tests.Arm;

/// <summary>A parsed ARM template language expression (the text between the outer brackets).</summary>
public abstract record ArmExpression
{
    public sealed record Literal(object? Value) : ArmExpression;

    public sealed record Call(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression;

    public sealed record Property(ArmExpression Target, string Name) : ArmExpression;

    public sealed record Index(ArmExpression Target, ArmExpression Key) : ArmExpression;

    /// <summary>True when a JSON string is an expression: "[...]" but not the "[[" escape.</summary>
    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && text[1] != '[';

    /// <summary>Parses an expression string such as "[format('{0}-x', parameters('name'))]".</summary>
    public static ArmExpression Parse(string text)
    {
        if (!IsExpression(text))
        {
            throw new FormatException($"Not an ARM expression: {text}");
        }

        var parser = new Parser(text, 1, text.Length - 1);
        var expression = parser.ParseExpression();
        parser.ExpectEnd();
        return expression;
    }

    private sealed class Parser(string text, int start, int end)
    {
        private int _position = start;

        public ArmExpression ParseExpression()
        {
            var expression = ParsePrimary();
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('.'))
                {
                    expression = new Property(expression, ReadIdentifier());
                }
                else if (TryConsume('['))
                {
                    var key = ParseExpression();
                    Expect(']');
                    expression = new Index(expression, key);
                }
                else
                {
                    return expression;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipWhitespace();
            if (_position != end)
            {
                throw Error("end of expression");
            }
        }

        private ArmExpression ParsePrimary()
        {
            SkipWhitespace();
            if (_position >= end)
            {
                throw Error("a value");
            }

            var current = text[_position];
            if (current == '\'')
            {
                return new Literal(ReadString());
            }

            if (char.IsDigit(current) || current == '-')
            {
                return new Literal(ReadInteger());
            }

            var name = ReadIdentifier();
            Expect('(');
            var arguments = new List<ArmExpression>();
            SkipWhitespace();
            if (!TryConsume(')'))
            {
                do
                {
                    arguments.Add(ParseExpression());
                    SkipWhitespace();
                }
                while (TryConsume(','));
                Expect(')');
            }

            return new Call(name, arguments);
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            _position++; // opening quote
            while (_position < end)
            {
                var current = text[_position++];
                if (current != '\'')
                {
                    builder.Append(current);
                }
                else if (_position < end && text[_position] == '\'')
                {
                    builder.Append('\'');
                    _position++;
                }
                else
                {
                    return builder.ToString();
                }
            }

            throw Error("a closing quote");
        }

        private long ReadInteger()
        {
            var first = _position;
            if (text[_position] == '-')
            {
                _position++;
            }

            while (_position < end && char.IsDigit(text[_position]))
            {
                _position++;
            }

            return long.Parse(text.AsSpan(first, _position - first), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        private string ReadIdentifier()
        {
            SkipWhitespace();
            var first = _position;
            while (_position < end && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
            {
                _position++;
            }

            return _position > first ? text[first.._position] : throw Error("a name");
        }

        private void SkipWhitespace()
        {
            while (_position < end && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private bool TryConsume(char expected)
        {
            SkipWhitespace();
            if (_position < end && text[_position] == expected)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char expected)
        {
            if (!TryConsume(expected))
            {
                throw Error($"'{expected}'");
            }
        }

        private FormatException Error(string expected) =>
            new($"Expected {expected} at position {_position} of {text}");
    }
}
