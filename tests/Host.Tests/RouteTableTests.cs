using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Host.Http;
using UsageProcessor.Metering.Http;
using Worker = Microsoft.Azure.Functions.Worker;

namespace UsageProcessor.Host.Tests;

/// <summary>The route table drives both hosts and the OpenAPI document; the Functions app's classes only carry the worker's attributes.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public void FunctionsClasses_EachHttpFunction_MatchesItsTableEntryAndHoldsNoDependencies()
    {
        var functions = HttpFunctions().ToList();

        Assert.Equal(ApiRoutes.All.Select(r => r.Name).Order(StringComparer.Ordinal), functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var (name, type, method, trigger) in functions)
        {
            var route = ApiRoutes.Named(name);
            Assert.Equal(route.Method, Assert.Single(trigger.Methods!).ToUpperInvariant());
            Assert.Equal(route.Template, trigger.Route);
            Assert.Equal(route.Access == RouteAccess.Anonymous ? Worker.AuthorizationLevel.Anonymous : Worker.AuthorizationLevel.Function, trigger.AuthLevel);
            // Route values come in as the template's parameters, in order; nothing else is bound.
            var bound = method.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => p.Name!).ToList();
            Assert.Equal(route.Parameters, bound);
            // No injected services: the class can only hand the call to the table's handler.
            Assert.All(type.GetConstructors(), c => Assert.Empty(c.GetParameters()));
            Assert.Single(type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
        }
    }

    [Fact]
    public void Document_EveryRouteAndStatusTheSelfHostServes_IsDescribed()
    {
        using var app = SelfHostApp.Build(["--AzureWebJobsStorage=UseDevelopmentStorage=true"]);
        var served = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.Metadata.GetMetadata<ApiRoute>())
            .OfType<ApiRoute>()
            .ToList();
        var paths = OpenApiDocument.Build()["paths"]!;

        Assert.Equal(ApiRoutes.All.Count, served.Count);
        foreach (var route in served)
        {
            var operation = paths[route.Path]?[route.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{route.Method} {route.Path} is served but not described.");
            foreach (var status in ApiRoutes.AnswersOf(route).Select(a => a.Status).Distinct())
            {
                Assert.True(operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is not null,
                    $"{route.Name} answers {status}, which the document does not describe.");
            }
        }
    }

    /// <summary>Adding a route is its handler and one table entry: the self-host serves it, the document describes it, and a Functions class is one line.</summary>
    [Fact]
    public async Task MapFunctionRoutes_TableWithOneMoreEntry_ServesItAndDescribesIt()
    {
        var greeting = new ApiRoute(
            "GetGreeting", "GET", "accounts/{accountId}/greeting", "Greet an account.", RouteAccess.Anonymous,
            call => Task.FromResult(Results.Json(new Greeting($"hello {call["accountId"]}"), ApiJson.Options)),
            [new(200, "The greeting.", typeof(Greeting))]);
        IReadOnlyList<ApiRoute> table = [.. ApiRoutes.All, greeting];

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.UseRouting();
        app.MapFunctionRoutes(table);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var served = await http.GetAsync(new Uri("/api/accounts/acct-1/greeting", UriKind.Relative));
        // What the Functions class of the route would do: hand its bound route values to the table entry.
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Response.Body = new MemoryStream();
        await (await greeting.InvokeAsync(context.Request, CancellationToken.None, "acct-2")).ExecuteAsync(context);
        var described = OpenApiDocument.Build(table)["paths"]!["/api/accounts/{accountId}/greeting"]!["get"]!;
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("hello acct-1", (await served.Content.ReadFromJsonAsync<Greeting>(ApiJson.Options))!.Message);
        context.Response.Body.Position = 0;
        Assert.Equal("hello acct-2", JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("message").GetString());
        Assert.Equal("GetGreeting", described["operationId"]!.GetValue<string>());
        Assert.NotNull(described["responses"]!["200"]!["content"]!["application/json"]);
    }

    private sealed record Greeting(string Message);

    private static IEnumerable<(string Name, Type Type, MethodInfo Method, Worker.HttpTriggerAttribute Trigger)> HttpFunctions()
    {
        var assembly = typeof(global::UsageProcessor.Functions.ProcessJobCompleted).Assembly;
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<Worker.FunctionAttribute>() is { } function
                    && method.GetParameters().Select(p => p.GetCustomAttribute<Worker.HttpTriggerAttribute>()).OfType<Worker.HttpTriggerAttribute>().FirstOrDefault() is { } trigger)
                {
                    yield return (function.Name, type, method, trigger);
                }
            }
        }
    }
}
