using System.Text.Json;
using System.Text.Json.Nodes;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Balances;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Http.Alerts;

/// <summary>One outgoing message type: its name, when it is sent, its channel, and the C# type (and options) its payload is written from.</summary>
/// <param name="Name">The event type name.</param>
/// <param name="Description">When it is sent.</param>
/// <param name="Channel"><c>webhook</c> or <c>queue</c>.</param>
/// <param name="Payload">The type the sender serializes.</param>
/// <param name="Options">The options the sender serializes with.</param>
/// <param name="Kind">For an alert, its kind (the payload's <c>kind</c> is always this).</param>
public sealed record WebhookEventType(string Name, string Description, string Channel, Type Payload, JsonSerializerOptions Options, string? Kind = null);

/// <summary>The event catalogue: every message the product sends, described from the same types and options the senders write with.</summary>
/// <remarks>
/// Feeds both the OpenAPI document's top-level <c>webhooks</c> (OpenAPI 3.1) and <c>GET /api/event-types</c>, so the two
/// cannot disagree, and the tests validate real payloads against these schemas.
/// </remarks>
public static class WebhookEventCatalogue
{
    /// <summary>The channel of a message posted to subscribed webhooks.</summary>
    public const string Webhook = "webhook";

    /// <summary>The channel of a message only put on a queue.</summary>
    public const string Queue = "queue";

    // When each alert kind is raised; the catalogue test fails when AlertKinds gains a kind this does not describe.
    private static readonly Dictionary<string, string> AlertDescriptions = new(StringComparer.Ordinal)
    {
        [AlertKinds.CreditsUsedPercent] = "The share of the plan's credits used in the period crossed a percentage (the built-in 50, 80, 100 or a subscribed one).",
        [AlertKinds.CreditsUsed] = "Credits used in the period crossed a subscribed threshold.",
        [AlertKinds.SpendUsd] = "The USD value of the credits used in the period crossed a subscribed threshold.",
        [AlertKinds.CreditsRemainingBelow] = "Credits left to spend (included and wallet) fell below a subscribed threshold.",
        [AlertKinds.CreditsExhausted] = "A starter account's credits reached zero.",
        [AlertKinds.OverageStarted] = "A pro account billed its first overage credit in the period.",
        [AlertKinds.RateLimitExceeded] = "Completed jobs went past the plan's per-minute limit (at most one alert an hour).",
        [AlertKinds.UnregisteredModel] = "A job used a custom model the account had not registered, or that its plan does not include (at most once a period).",
        [AlertKinds.SpendCapReached] = "The month's measure reached the account's spend cap (once per period).",
        [AlertKinds.GrantExpiring] = "A grant with credits left expires within the subscribed number of days (threshold: days; value: credits left).",
        [AlertKinds.RechargeRequested] = "Spendable credits fell below the automatic top-up threshold: the payment system is asked for credits (thresholdKey: the reference a purchase must carry; value: the credits).",
        [AlertKinds.RechargeFailed] = "The payment system reported a requested top-up failed (thresholdKey: its reference; value: the credits).",
        [AlertKinds.BudgetUsedPercent] = "A project's or API key's month reached a share of its budget (threshold: the percent; thresholdKey: project:id:percent or apikey:id:percent; value: the percent used), once per threshold and month.",
        [AlertKinds.BudgetExceeded] = "A job took a project's or API key's month past its budget; the job is billed all the same (threshold: the budget; thresholdKey: project:id or apikey:id; value: the month's credits), once per budget and month.",
        [AlertKinds.WebhookDisabled] = "Operator alert: a subscription whose deliveries failed continuously for Metering:Webhooks:DisableAfter was disabled (thresholdKey: the subscription id and the failure streak's start; value: its failed attempts). On the alerts queue only.",
    };

    /// <summary>Every event type, alert kinds first.</summary>
    public static IReadOnlyList<WebhookEventType> All { get; } =
    [
        .. AlertKinds.All.Select(kind => new WebhookEventType(kind, AlertDescriptions[kind], kind == AlertKinds.WebhookDisabled ? Queue : Webhook, typeof(AlertMessage), AlertJson.Options, kind)),
        new(AlertKinds.BalanceUpdated, "The account's running balance after commits, coalesced to one per Metering:BalanceUpdateInterval; posted to balance-updated subscriptions (and put on the balance queue when one is configured).",
            Webhook, typeof(BalanceUpdate), AlertJson.Options),
        new(InvoiceReadyEvent.TypeName, "A statement closed: put on the invoice-ready queue for a pipeline that creates the invoice (never posted to a webhook).",
            Queue, typeof(InvoiceReadyEvent), Exportable(StatementStore.Json)),
        new(WebhookTestEvent.TypeName, "A test event, sent on demand (POST .../alert-subscriptions/{subscriptionId}/test) to check a receiver and its signature check.",
            Webhook, typeof(WebhookTestEvent), AlertJson.Options),
    ];

    // The statements' options carry no resolver of their own (serializing fills in the default); the exporter needs one named.
    private static JsonSerializerOptions Exportable(JsonSerializerOptions options) => options.TypeInfoResolver is not null
        ? options
        : new JsonSerializerOptions(options) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };

    /// <summary>The payload schema of <paramref name="type"/>, inline: an alert's <c>kind</c> is pinned to its kind, a typed event's <c>type</c> to its name.</summary>
    public static JsonObject SchemaOf(WebhookEventType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var schema = (JsonObject)OpenApiDocument.SchemaOf(type.Payload, type.Options);
        var pinned = type.Kind is not null ? "kind" : type.Payload.GetProperty("Type") is not null ? "type" : null;
        if (pinned is not null && schema["properties"] is JsonObject properties && properties[pinned] is JsonObject property)
        {
            property["const"] = type.Kind ?? type.Name;
        }

        schema["description"] = type.Description;
        return schema;
    }

    /// <summary>The name of the component schema of <paramref name="type"/> in the OpenAPI document.</summary>
    public static string ComponentName(WebhookEventType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return "Event_" + type.Name.Replace('-', '_');
    }

    /// <summary>The OpenAPI 3.1 <c>webhooks</c> section: one POST per event type, its payload a component schema added to <paramref name="schemas"/>.</summary>
    public static JsonObject Webhooks(IDictionary<string, JsonNode> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        var webhooks = new JsonObject();
        foreach (var type in All)
        {
            schemas[ComponentName(type)] = SchemaOf(type);
            webhooks[type.Name] = new JsonObject
            {
                ["post"] = new JsonObject
                {
                    ["operationId"] = "event-" + type.Name,
                    ["summary"] = $"The {type.Name} event ({type.Channel}).",
                    ["description"] = type.Description + (type.Channel == Webhook
                        ? " Signed by Standard Webhooks: webhook-id (deduplicate on it), webhook-timestamp, webhook-signature (v1, one per signing secret during a rotation)."
                        : string.Empty),
                    ["parameters"] = type.Channel == Webhook ? SignatureHeaders() : new JsonArray(),
                    ["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject
                        {
                            [RouteAnswer.Json] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/" + ComponentName(type) } },
                        },
                    },
                    ["responses"] = new JsonObject
                    {
                        ["200"] = new JsonObject { ["description"] = "Any 2xx answer is taken as received; anything else (or no answer within the attempt timeout) is retried, then logged as failed." },
                    },
                    ["security"] = new JsonArray(),
                },
            };
        }

        return webhooks;
    }

    /// <summary>The answer of <c>GET /api/event-types</c>.</summary>
    public static EventTypeList List() => new([.. All.Select(t => new EventTypeItem(t.Name, t.Description, t.Channel, "/api/openapi.json#/components/schemas/" + ComponentName(t), SchemaOf(t)))]);

    private static JsonArray SignatureHeaders() =>
    [
        Header(WebhookSignature.IdHeader, "The message id: the alert id, the balance update's id or the test event's id; the same on every retry and resend."),
        Header(WebhookSignature.TimestampHeader, "When it was signed, in Unix seconds."),
        Header(WebhookSignature.SignatureHeader, "v1,<base64 HMAC-SHA256 of id.timestamp.body>, space-separated, one per signing secret."),
    ];

    private static JsonObject Header(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "header",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };
}
