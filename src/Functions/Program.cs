using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UsageProcessor.Functions;
using UsageProcessor.Metering;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ExceptionMappingMiddleware>();

builder.Services.AddAzureMonitorTelemetry(builder.Configuration);
builder.Services.AddMeteringCore(builder.Configuration);
builder.Services.AddMeteringHttp();
builder.Services.AddHostedService<StorageInitializer>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueDepthSampler>());

builder.Build().Run();
