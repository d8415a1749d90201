namespace UsageProcessor.Client;

/// <summary>Where the usage processor API is and how to call it.</summary>
public sealed class UsageProcessorClientOptions
{
    /// <summary>Scheme, host and port of the API, without <c>/api</c> (the self-host: <c>http://127.0.0.1:7071</c>).</summary>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:7071");

    /// <summary>A function key, sent as <c>x-functions-key</c>.</summary>
    public string FunctionKey { get; set; } = string.Empty;
}
