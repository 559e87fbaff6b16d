namespace Shop.Testing;

/// <summary>The checkout the test binaries were built in (the folder holding Shop.sln).</summary>
public static class RepositoryRoot
{
    public static string? Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    public static string Require() => Find() ?? throw new InvalidOperationException("Shop.sln not found above the binaries or the working directory.");
}
