namespace Remediation.Workflows.Runtime;

/// <summary>
/// Task completions on one instance take turns inside this process. Without it, the approvers of a multi-instance task who
/// finish at once all build their command on the same state, one commits and the others lose on the row version and start
/// over, again and again. A completion that finds the instance's turn taken waits for it and then reads the instance afresh.
/// Only an optimisation: across processes (or for other commands) the row version still decides.
/// </summary>
internal sealed class InstanceTurns
{
    private readonly Dictionary<Guid, (SemaphoreSlim Gate, int Users)> gates = [];

    /// <summary>Takes the instance's turn; <c>Waited</c> says whether someone held it (so what was read before may be stale).</summary>
    public async Task<(IDisposable Turn, bool Waited)> EnterAsync(Guid instanceId, CancellationToken ct)
    {
        SemaphoreSlim gate;
        lock (gates)
        {
            var entry = gates.TryGetValue(instanceId, out var found) ? found : (new SemaphoreSlim(1, 1), 0);
            gates[instanceId] = (entry.Item1, entry.Item2 + 1);
            gate = entry.Item1;
        }
        var turn = new Turn(this, instanceId, gate);
        if (gate.Wait(0)) return (turn, false);
        try
        {
            await gate.WaitAsync(ct);
        }
        catch
        {
            Leave(instanceId);
            throw;
        }
        return (turn, true);
    }

    private void Leave(Guid instanceId)
    {
        lock (gates)
        {
            var (gate, users) = gates[instanceId];
            if (users == 1) gates.Remove(instanceId);
            else gates[instanceId] = (gate, users - 1);
        }
    }

    private sealed class Turn(InstanceTurns owner, Guid instanceId, SemaphoreSlim gate) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            gate.Release();
            owner.Leave(instanceId);
        }
    }
}
