using System.Text.Json;

namespace UsageProcessor.Infra.Tests.Arm;

/// <summary>
/// A compiled template with given parameter values, walked like a deployment: every template (the root and each
/// module's nested template, whose parameters are evaluated in the calling template), and every resource.
/// Handles both Bicep output shapes: resources as an array, or (languageVersion 2.0) an object keyed by symbolic name.
/// </summary>
public sealed class ArmDeployment
{
    private const string DeploymentsType = "Microsoft.Resources/deployments";

    public ArmDeployment(JsonElement template, IReadOnlyDictionary<string, object?> parameterValues)
    {
        var scopes = new List<ArmScope>();
        var resources = new List<ArmResource>();
        Walk(ArmScope.Create(template, "main", parameterValues), deployed: true, scopes, resources);
        Scopes = scopes;
        Resources = resources;
    }

    /// <summary>Every template: the root first, then each module's.</summary>
    public IReadOnlyList<ArmScope> Scopes { get; }

    /// <summary>Every resource of every template, existing references excluded, loops expanded.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    public ArmScope Root => Scopes[0];

    /// <summary>The resources of a type that are certainly deployed.</summary>
    public IEnumerable<ArmResource> Deployed(string type) =>
        Resources.Where(resource => resource.IsType(type) && resource.Deployed == true);

    private static void Walk(ArmScope scope, bool? deployed, List<ArmScope> scopes, List<ArmResource> resources)
    {
        scopes.Add(scope);
        if (!scope.Template.TryGetProperty("resources", out var declared))
        {
            return;
        }

        var definitions = declared.ValueKind == JsonValueKind.Object
            ? declared.EnumerateObject().Select(property => (Symbol: (string?)property.Name, Definition: property.Value))
            : declared.EnumerateArray().Select(definition => (Symbol: (string?)null, Definition: definition));

        foreach (var (symbol, definition) in definitions)
        {
            if (definition.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            foreach (var instance in Instances(scope, definition))
            {
                var condition = definition.TryGetProperty("condition", out var expression) ? instance.Evaluate(expression) : true;
                var instanceDeployed = And(deployed, condition switch
                {
                    true => true,
                    false => false,
                    _ => (bool?)null,
                });
                var type = definition.GetProperty("type").GetString()!;
                var resource = new ArmResource(type, symbol, definition, instance, instanceDeployed);
                resources.Add(resource);

                if (resource.IsType(DeploymentsType) && definition.GetProperty("properties").TryGetProperty("template", out var nested))
                {
                    Walk(Nested(resource, nested), instanceDeployed, scopes, resources);
                }
            }
        }
    }

    private static IEnumerable<ArmScope> Instances(ArmScope scope, JsonElement definition)
    {
        if (!definition.TryGetProperty("copy", out var copy))
        {
            yield return scope;
            yield break;
        }

        var loopName = copy.GetProperty("name").GetString()!;
        if (scope.Evaluate(copy.GetProperty("count")) is long count)
        {
            for (var i = 0L; i < count; i++)
            {
                yield return scope.WithCopyIndex(loopName, i, isResourceLoop: true);
            }
        }
        else
        {
            yield return scope.WithCopyIndex(loopName, Unknown.Value, isResourceLoop: true);
        }
    }

    private static ArmScope Nested(ArmResource deployment, JsonElement template)
    {
        var properties = deployment.Definition.GetProperty("properties");
        var evaluationScope = properties.TryGetProperty("expressionEvaluationOptions", out var options)
            && options.TryGetProperty("scope", out var scopeName) ? scopeName.GetString() : "outer";
        if (!string.Equals(evaluationScope, "inner", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"{deployment.Scope.Path}/{deployment.Name}: only inner-scoped nested templates (Bicep modules) are supported.");
        }

        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (properties.TryGetProperty("parameters", out var parameters))
        {
            foreach (var parameter in parameters.EnumerateObject())
            {
                if (parameter.Value.TryGetProperty("value", out var value))
                {
                    values[parameter.Name] = deployment.Scope.Evaluate(value);
                }
            }
        }

        return ArmScope.Create(template, $"{deployment.Scope.Path}/{deployment.Name}", values);
    }

    private static bool? And(bool? left, bool? right) =>
        left == false || right == false ? false : left == true && right == true ? true : null;
}
