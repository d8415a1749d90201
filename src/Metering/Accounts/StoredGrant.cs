using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Accounts;

/// <summary>A grant as its own row stores it: what was granted, by whom, and what it paid of a debt at once.</summary>
/// <param name="Grant">The grant as granted (its <see cref="CreditGrant.Used"/> is what paid owed credits at once).</param>
/// <param name="Actor">Who granted it.</param>
/// <param name="OwedPaid">Credits of it that paid what the account owed.</param>
public sealed record StoredGrant(CreditGrant Grant, string Actor, decimal OwedPaid)
{
    internal TableEntity ToEntity(string accountId)
    {
        var entity = new TableEntity(accountId, LedgerKeys.Grant(Grant.Id))
        {
            ["Reason"] = Grant.Reason,
            ["Priority"] = Grant.Priority,
            ["ExpiresAt"] = Grant.ExpiresAt,
            ["GrantedAt"] = Grant.GrantedAt,
            ["EffectiveAt"] = Grant.EffectiveAt,
            ["VoidedAt"] = Grant.VoidedAt,
            ["Actor"] = Actor,
        };
        entity.SetDecimal("Credits", Grant.Credits);
        entity.SetDecimal("OwedPaid", OwedPaid);
        entity.SetDecimal("Voided", Grant.Voided);
        return entity;
    }

    internal static StoredGrant FromEntity(TableEntity e)
    {
        var paid = e.GetDecimal("OwedPaid");
        return new StoredGrant(
            new CreditGrant
            {
                Id = e.RowKey[LedgerKeys.GrantPrefix.Length..],
                Reason = e.GetString("Reason") ?? string.Empty,
                Credits = e.GetDecimal("Credits"),
                Used = paid,
                Priority = e.GetInt32("Priority") ?? CreditGrant.DefaultPriority,
                ExpiresAt = e.GetDateTimeOffset("ExpiresAt"),
                GrantedAt = e.GetDateTimeOffset("GrantedAt") ?? DateTimeOffset.MinValue,
                EffectiveAt = e.GetDateTimeOffset("EffectiveAt"),
                Voided = e.GetDecimal("Voided"),
                VoidedAt = e.GetDateTimeOffset("VoidedAt"),
            },
            e.GetString("Actor") ?? string.Empty,
            paid);
    }
}
