// The large-payload test measures this process's allocations; other tests running beside it would blur that.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
