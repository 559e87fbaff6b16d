using Shop.Benchmarks;

return await BenchmarkRunner.RunAsync(args);
