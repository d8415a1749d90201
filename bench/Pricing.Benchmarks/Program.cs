using BenchmarkDotNet.Running;

// Runs the benchmarks named by --filter, for example: dotnet run -c Release -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
