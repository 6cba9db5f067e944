namespace Remediation.Portal.Data;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (embedded default) or <c>SqlServer</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for the SQLite files (relative paths are resolved against the content root).</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>How long a SQLite writer waits for a lock before failing, in milliseconds.</summary>
    public int BusyTimeoutMs { get; set; } = 5000;
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
