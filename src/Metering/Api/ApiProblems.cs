using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Api;

/// <summary>RFC 7807 answers naming each bad field, shared by every endpoint.</summary>
public static class ApiProblems
{
    /// <summary>A 400 listing every field error.</summary>
    public static IResult Invalid(IEnumerable<FieldError> errors, string title = "The request is invalid.") =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
            title: title,
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.1");

    /// <summary>A 400 for one field.</summary>
    public static IResult Invalid(string field, string reason) => Invalid([new FieldError(field, reason)]);

    /// <summary>A 404 naming what was not found.</summary>
    public static IResult NotFound(string detail) =>
        Results.Problem(title: "Not found.", detail: detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>The 404 of an account route whose account does not exist.</summary>
    public static IResult UnknownAccount(string accountId) => NotFound($"Account '{accountId}' does not exist.");

    /// <summary>A 409 explaining the conflict.</summary>
    public static IResult Conflict(string detail) =>
        Results.Problem(title: "Conflict.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    /// <summary>Checks an account id from a route, as the message contract does.</summary>
    public static IResult? CheckAccountId(string? accountId) =>
        Identifiers.CheckAccountId(accountId) is { } reason ? Invalid("accountId", reason) : null;
}
