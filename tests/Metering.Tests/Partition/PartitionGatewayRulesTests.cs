using System.Reflection;
using System.Reflection.Emit;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Tests.Partition;

/// <summary>The gateway rule, read from the compiled code: only <see cref="AccountPartition"/> holds the ledger table's client, so nothing else can write an account's partition.</summary>
public sealed class PartitionGatewayRulesTests
{
    private static readonly MethodInfo LedgerGetter = typeof(MeteringTables).GetProperty(nameof(MeteringTables.Ledger))!.GetMethod!;

    [Fact]
    public void LedgerTableClient_ReachedOnlyByTheGateway()
    {
        var callers = CallersOf(LedgerGetter, typeof(AccountPartition).Assembly, typeof(ApiRoutes).Assembly);

        Assert.Equal([nameof(AccountPartition), nameof(MeteringTables)], callers.Select(t => t.Name).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CallersOf_ATypeThatReadsTheLedgerClient_FindsIt()
    {
        // The scanner itself must be able to fail: this test type reaches the getter below.
        var callers = CallersOf(LedgerGetter, typeof(PartitionGatewayRulesTests).Assembly);

        Assert.Contains(typeof(PartitionGatewayRulesTests), callers);
    }

    internal static object? Probe(MeteringTables tables) => tables.Ledger;

    /// <summary>The outermost types whose method bodies call <paramref name="target"/> (async and lambda bodies count for the type that wrote them).</summary>
    private static HashSet<Type> CallersOf(MethodInfo target, params Assembly[] assemblies)
    {
        var callers = new HashSet<Type>();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (Calls(method, target))
                {
                    var outer = type;
                    while (outer.DeclaringType is { } declaring)
                    {
                        outer = declaring;
                    }

                    callers.Add(outer);
                }
            }
        }

        return callers;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    private static bool Calls(MethodBase method, MethodInfo target)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return false;
        }

        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[++i]) : il[i];
            i++;
            var op = OpCodesByValue[value];
            if ((op == OpCodes.Call || op == OpCodes.Callvirt) && ResolvesTo(method, BitConverter.ToInt32(il, i), target))
            {
                return true;
            }

            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }

        return false;
    }

    private static bool ResolvesTo(MethodBase caller, int token, MethodInfo target)
    {
        try
        {
            var generics = caller.DeclaringType?.IsGenericType == true ? caller.DeclaringType.GetGenericArguments() : null;
            var methodGenerics = caller.IsGenericMethod ? caller.GetGenericArguments() : null;
            return caller.Module.ResolveMethod(token, generics, methodGenerics) == target;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
