namespace UsageProcessor.Metering.Ingestion;

/// <summary>One field of a message or request that was refused, and why.</summary>
/// <param name="Field">The field's camelCase name, or <c>$</c> for the whole body.</param>
/// <param name="Reason">A sentence a person can act on.</param>
public sealed record FieldError(string Field, string Reason);
