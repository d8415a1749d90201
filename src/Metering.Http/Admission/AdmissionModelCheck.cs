using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Http.Models;
using UsageProcessor.Metering.Models;

namespace UsageProcessor.Metering.Http.Admission;

/// <summary>Admission's <c>modelId</c> check: a request naming a custom model the account does not own is refused before it is counted.</summary>
public sealed class AdmissionModelCheck(CustomModelRegistry models, AccountRegistry accounts)
{
    /// <summary>The problem to answer, or null when the request names no model or a model the account owns.</summary>
    public async Task<IResult?> ProblemAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Query.TryGetValue("modelId", out var values))
        {
            return null;
        }

        var modelId = values.ToString();
        if (CustomModelsApi.CheckIds(accountId, modelId) is { } invalid)
        {
            return invalid;
        }

        if (await models.GetAsync(accountId, modelId, cancellationToken) is not null)
        {
            return null;
        }

        return await accounts.ReadAsync(accountId, cancellationToken) is null
            ? ApiProblems.UnknownAccount(accountId)
            : Results.Problem(
                title: "The model is not registered.",
                detail: $"Account '{accountId}' has not registered custom model '{modelId}'; register it with PUT /api/accounts/{accountId}/models/{modelId}.",
                statusCode: StatusCodes.Status403Forbidden);
    }
}
