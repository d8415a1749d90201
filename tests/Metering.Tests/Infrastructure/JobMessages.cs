using System.Globalization;
using System.Text.Json.Nodes;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>Builds job-completed message bodies for tests.</summary>
public static class JobMessages
{
    public static string Create(
        string jobId,
        string accountId,
        DateTimeOffset completedAt,
        string domain = "document.invoice",
        string? detail = null,
        bool? grounding = null,
        decimal? pages = 1,
        decimal? durationSeconds = null,
        string? serviceTier = null,
        decimal? toolCalls = null,
        bool? customModel = null,
        string? modelId = null,
        string? outcome = null,
        decimal? processedUnits = null,
        string? projectId = null,
        string? apiKeyId = null,
        string? endUserId = null,
        IReadOnlyDictionary<string, string>? tags = null)
    {
        var json = new JsonObject
        {
            ["jobId"] = jobId,
            ["accountId"] = accountId,
            ["completedAt"] = completedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffK", CultureInfo.InvariantCulture),
            ["domain"] = domain,
        };
        if (detail is not null)
        {
            json["detail"] = detail;
        }

        if (grounding is not null)
        {
            json["grounding"] = grounding;
        }

        if (pages is not null)
        {
            json["pages"] = pages;
        }

        if (durationSeconds is not null)
        {
            json["durationSeconds"] = durationSeconds;
        }

        if (serviceTier is not null)
        {
            json["serviceTier"] = serviceTier;
        }

        if (toolCalls is not null)
        {
            json["toolCalls"] = toolCalls;
        }

        if (customModel is not null)
        {
            json["customModel"] = customModel;
        }

        if (modelId is not null)
        {
            json["modelId"] = modelId;
        }

        if (outcome is not null)
        {
            json["outcome"] = outcome;
        }

        if (processedUnits is not null)
        {
            json["processedUnits"] = processedUnits;
        }

        if (projectId is not null)
        {
            json["projectId"] = projectId;
        }

        if (apiKeyId is not null)
        {
            json["apiKeyId"] = apiKeyId;
        }

        if (endUserId is not null)
        {
            json["endUserId"] = endUserId;
        }

        if (tags is not null)
        {
            var tagObject = new JsonObject();
            foreach (var (name, value) in tags)
            {
                tagObject[name] = value;
            }

            json["tags"] = tagObject;
        }

        return json.ToJsonString();
    }
}
