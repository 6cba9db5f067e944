using Microsoft.EntityFrameworkCore;

namespace Remediation.Workflows.Runtime;

/// <summary>
/// An engine DbContext whose connection stays open for all of a command's or query's reads: lent by the host when it can
/// (<see cref="IWorkflowDbContextFactory.LendConnection"/>: an open SQLite connection with its prepared statements), else the
/// context's own, opened once. Disposing gives the connection back (or closes it) and returns the context to its pool — a
/// pooled context would otherwise keep an explicit open, which the commit gate cannot swap for the writer's connection.
/// </summary>
internal sealed class EngineContext : IAsyncDisposable
{
    private IDisposable? lease;
    private bool opened;

    private EngineContext(DbContext db) => Db = db;

    public DbContext Db { get; }

    public static async Task<EngineContext> OpenAsync(IWorkflowDbContextFactory factory, CancellationToken ct = default)
    {
        var context = new EngineContext(factory.Create());
        try
        {
            context.lease = factory.LendConnection(context.Db);
            if (context.lease is null)
            {
                await context.Db.Database.OpenConnectionAsync(ct);
                context.opened = true;
            }
            return context;
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends the reads: the connection goes back (the commit gate then lends the context the writer's).</summary>
    public async ValueTask ReleaseConnectionAsync()
    {
        if (lease is not null)
        {
            lease.Dispose();
            lease = null;
        }
        else if (opened)
        {
            opened = false;
            await Db.Database.CloseConnectionAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseConnectionAsync();
        await Db.DisposeAsync();
    }
}
