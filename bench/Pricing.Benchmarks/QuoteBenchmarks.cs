using BenchmarkDotNet.Attributes;

namespace UsageProcessor.Pricing.Benchmarks;

/// <summary>The cost of quoting one job with the shipped price book; the usages are built once, outside the measurement.</summary>
[MemoryDiagnoser]
public class QuoteBenchmarks
{
    private PriceBook _book = null!;
    private JobUsage _documentHiGrounding = null!;
    private JobUsage _audioDuration = null!;
    private JobUsage _audioWholeSegments = null!;
    private JobUsage _redactionPriority = null!;
    private JobUsage _invalid = null!;

    [GlobalSetup]
    public void Setup()
    {
        _book = PriceBook.LoadEmbedded();
        _documentHiGrounding = new JobUsage { Domain = "document.invoice", Detail = "hi", Grounding = true, Pages = 3 };
        _audioDuration = new JobUsage { Domain = "audio.transcription", Detail = "auto", DurationSeconds = 3_600.5m };

        // The same job on a whole number of segments, to show what the inexact seconds / 300 division costs.
        _audioWholeSegments = _audioDuration with { DurationSeconds = 3_600m };
        _redactionPriority = new JobUsage { Domain = "healthcare.phi-redaction", Pages = 2, ServiceTier = "priority" };

        // Refused on three fields: markdown has no grounding, the detail and the tier are unknown.
        _invalid = new JobUsage { Domain = "document.markdown", Detail = "ultra", Grounding = true, Pages = 1, ServiceTier = "turbo" };

        // Fail fast if a job stops being what its benchmark claims to measure.
        Check(_book.Quote(_documentHiGrounding).IsSuccess);
        Check(_book.Quote(_audioDuration).IsSuccess);
        Check(_book.Quote(_audioWholeSegments).IsSuccess);
        Check(_book.Quote(_redactionPriority).IsSuccess);
        Check(!_book.Quote(_invalid).IsSuccess);
    }

    [Benchmark]
    public QuoteResult DocumentHiGrounding() => _book.Quote(_documentHiGrounding);

    [Benchmark]
    public QuoteResult AudioDuration() => _book.Quote(_audioDuration);

    [Benchmark]
    public QuoteResult AudioWholeSegments() => _book.Quote(_audioWholeSegments);

    [Benchmark]
    public QuoteResult RedactionAgentPriority() => _book.Quote(_redactionPriority);

    [Benchmark]
    public QuoteResult InvalidJob() => _book.Quote(_invalid);

    private static void Check(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("A benchmark job no longer quotes as expected.");
        }
    }
}
