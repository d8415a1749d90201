namespace UsageProcessor.Host.Commands;

/// <summary>
/// A command that cannot go on, with the sentence for the operator and the exit code: 2 when the command line names
/// something that cannot be used (a file that is not there, an output path that is a file, a connection string that
/// is not one), 1 when the run failed for another reason (the disk refused the export). Neither is blamed on storage.
/// </summary>
public sealed class CommandException : Exception
{
    /// <summary>The exit code of a usage error.</summary>
    public const int UsageExitCode = 2;

    /// <summary>The exit code of a failed run.</summary>
    public const int FailureExitCode = 1;

    /// <summary>Creates a failure (exit code 1) with the sentence shown to the operator.</summary>
    public CommandException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a failure (exit code 1) with the sentence shown to the operator and its cause.</summary>
    public CommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates a failure with no sentence (prefer one of the others).</summary>
    public CommandException()
    {
    }

    /// <summary>The process exit code: <see cref="UsageExitCode"/> or <see cref="FailureExitCode"/>.</summary>
    public int ExitCode { get; init; } = FailureExitCode;

    /// <summary>A usage error: the operator's command line names something that cannot be used.</summary>
    public static CommandException Usage(string message, Exception? innerException = null) =>
        innerException is null
            ? new CommandException(message) { ExitCode = UsageExitCode }
            : new CommandException(message, innerException) { ExitCode = UsageExitCode };
}
