using System.Text.Json.Serialization;

namespace UsageProcessor.Metering.Http;

/// <summary>The RFC 7807 problem document of every error answer (ASP.NET Core writes it; this type is its schema).</summary>
/// <param name="Type">A URI naming the kind of problem, when ASP.NET Core has one for the status.</param>
/// <param name="Title">A short summary.</param>
/// <param name="Status">The HTTP status again.</param>
/// <param name="Detail">A sentence about this case.</param>
/// <param name="Errors">For 400: each bad field with its reasons; <c>$</c> is the whole body.</param>
/// <param name="InvocationId">For 500: the id the failure was logged with.</param>
/// <param name="Reason">For 402 and 429 of admission: a stable word to branch on (the detail is for people and may change).</param>
public sealed record ProblemDocument(
    string Title,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InvocationId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), OpenApiValues(typeof(Admission.AdmissionReasons), nameof(Admission.AdmissionReasons.All))] string? Reason = null);
