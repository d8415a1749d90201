using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Http;

/// <summary>RFC 7807 answers naming each bad field, shared by every endpoint.</summary>
public static class ApiProblems
{
    /// <summary>The title of a 400 that names no more precise failure.</summary>
    public const string InvalidTitle = "The request is invalid.";

    /// <summary>A 400 listing every field error.</summary>
    public static IResult Invalid(IEnumerable<FieldError> errors, string title = InvalidTitle) =>
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

    /// <summary>How long a caller is asked to wait after a 503 for a contended account.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>A 503 with <c>Retry-After</c>: the account's rows stayed contended by other writers after every retry.</summary>
    public static IResult Contended(string detail) =>
        new WithRetryAfter(Results.Problem(
            title: "The account is busy.", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable), RetryAfterSeconds);

    /// <summary>The answer for an exception that escaped a route, when it means contention rather than a fault; else null.</summary>
    /// <remarks>Both hosts' exception middleware ask this first, so a lost optimistic race is never a 500.</remarks>
    public static IResult? ForException(Exception exception) => exception switch
    {
        Storage.ContentionException e => Contended(e.Message),
        Partition.PartitionRowExistsException e => Results.Problem(
            title: "Already exists.", detail: e.Message, statusCode: StatusCodes.Status409Conflict),
        Azure.RequestFailedException e when Storage.StoragePipelines.IsConflict(e) =>
            Contended("The account was changed by other writers at the same time; try again shortly."),
        _ => null,
    };

    /// <summary>The route's account id checked as the message contract does: no error, or the one naming it.</summary>
    public static IReadOnlyList<FieldError> AccountIdErrors(string? accountId) =>
        Identifiers.CheckAccountId(accountId) is { } reason ? [new FieldError("accountId", reason)] : [];

    /// <summary>Checks an account id from a route, as the message contract does.</summary>
    public static IResult? CheckAccountId(string? accountId) =>
        Identifiers.CheckAccountId(accountId) is { } reason ? Invalid("accountId", reason) : null;
}

/// <summary>An answer with a <c>Retry-After</c> header in seconds.</summary>
internal sealed class WithRetryAfter(IResult inner, int seconds) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}
