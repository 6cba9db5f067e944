using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Remediation.Domain;
using Remediation.Domain.Payments;
using Remediation.Domain.Reviews;
using Remediation.Portal.Data;
using Remediation.UnitTests.Domain.Reviews;
using Xunit;

namespace Remediation.UnitTests.Portal.Reviews;

/// <summary>The review mapping against a real, migrated SQLite file: replies, offers and approval chains added later are saved and come back.</summary>
public sealed class ReviewMappingTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Approver = ["Approver"];
    private static readonly string[] Supervisor = ["Supervisor"];
    private readonly string _folder = Directory.CreateTempSubdirectory("remediation-reviews-").FullName;
    private readonly string _connectionString;

    public ReviewMappingTests()
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "test.db"), Pooling = false }.ToString();
        using var db = NewContext();
        db.Database.Migrate();
    }

    private SqliteRemediationDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqliteRemediationDbContext>().UseSqlite(_connectionString).Options);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Change(Guid id, Action<Review> act)
    {
        using var db = NewContext();
        act(db.Set<Review>().Single(r => r.Id == id));
        db.SaveChanges();
    }

    [Fact]
    public void Review_RoundTrips_WithRepliesOffersAndApprovals_AddedInLaterUnitsOfWork()
    {
        var review = ReviewTests.New();
        using (var db = NewContext())
        {
            db.Add(review);
            db.SaveChanges();
        }
        Change(review.Id, r => r.Reply("Sorry!", "handler", Now));
        Change(review.Id, r => r.ProposeOffer(ReviewTests.Catalogue, ReviewTests.Matrix, CompensationKind.Cash, new Money(300, "CNY"), PaymentChannel.Alipay, "Leak", "handler", Now));
        Change(review.Id, r => r.ApproveOffer("approver", Approver, Now, "ok"));
        Change(review.Id, r => r.ApproveOffer("supervisor", Supervisor, Now, null));
        Change(review.Id, r => r.TellCustomer("Paid by Alipay.", "handler", Now));

        using var read = NewContext();
        var loaded = read.Set<Review>().AsNoTracking().Single(r => r.Id == review.Id);
        Assert.Equal(["Sorry!", "Paid by Alipay."], loaded.Notes.Select(n => n.Text));
        var offer = Assert.Single(loaded.Offers);
        Assert.Equal((OfferStatus.Approved, 300m, "CNY"), (offer.Status, offer.Amount, offer.Currency));
        Assert.Equal(["approver", "supervisor"], offer.Approvals.Select(a => a.DecidedBy));
        Assert.Equal(ReviewStatus.AwaitingCustomer, loaded.Status);
    }
}
