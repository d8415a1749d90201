using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Models;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. An account's custom models.</summary>
public static class ModelsRoutes
{
    public static ApiRoute PutModel { get; } = new(
        "PutModel", "PUT", ApiRoutes.Model, "Register a custom model to an account, within its plan's allowance.", RouteAccess.FunctionKey,
        call => call.Service<CustomModelsApi>().PutAsync(call["accountId"], call["modelId"], call.Aborted),
        [
            new(201, "Registered.", typeof(CustomModelView), Example: new("PUT /api/accounts/{accountId}/models/{modelId}")),
            new(200, "It was registered already; nothing changed.", typeof(CustomModelView)),
            Invalid(),
            Missing(),
            Problem(409, "The plan allows no more custom models (starter: none; pro: 5)."),
            Contended(),
        ])
    { Body = null };

    public static ApiRoute GetModel { get; } = new(
        "GetModel", "GET", ApiRoutes.Model, "Read a registered custom model.", RouteAccess.FunctionKey,
        call => call.Service<CustomModelsApi>().GetAsync(call["accountId"], call["modelId"], call.Aborted),
        [new(200, "The model.", typeof(CustomModelView)), Invalid(), Missing("The account or the model does not exist.")]);

    public static ApiRoute DeleteModel { get; } = new(
        "DeleteModel", "DELETE", ApiRoutes.Model, "Unregister a custom model.", RouteAccess.FunctionKey,
        call => call.Service<CustomModelsApi>().DeleteAsync(call["accountId"], call["modelId"], call.Aborted),
        [new(204, "Unregistered.", null, ContentType: string.Empty), Invalid(), Missing("The model is not registered to the account."), Contended()]);

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [PutModel, GetModel, DeleteModel];
}
