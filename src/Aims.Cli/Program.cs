using Aims.Cli;

// The aims command: collect ISO/IEC 42001 evidence, analyse gaps, write digests and auditor bundles, verify them.
return await AimsCli.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);
