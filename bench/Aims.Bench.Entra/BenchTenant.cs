using System.Globalization;

namespace Aims.Bench.Entra;

/// <summary>
/// The benchmark's tenant, generated from its sizes (deterministic: the same options give the same tenant).
/// <list type="bullet">
/// <item>Users: every user belongs to exactly one of the AI-governance groups (<c>--ai-groups</c>, 50 by default), so
/// the configured groups hold the whole workforce between them (2,000 members each at full scale): the shape of
/// "everyone who may use AI tools sits in a per-department AI access group", and memberships big enough to page.</item>
/// <item>Groups: the rest are ordinary groups of 20 members; the collector never asks for them.</item>
/// <item>Service principals: 70% Microsoft first-party, 20% registered here (every tenth a managed identity), 10%
/// other tenants' multi-tenant apps; 10 of our own and 10 third-party ones are tagged <c>ai-system</c>, and 5 more
/// third-party apps are configured by app id.</item>
/// </list>
/// Ids are GUIDs whose second group says what they are and whose first group is the index, so a request names its object.
/// </summary>
internal sealed class BenchTenant
{
    public const string TenantId = "0b1e7e57-0000-4000-8000-00000000aaaa";
    public const string MicrosoftTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
    public const string VendorTenant = "0b1e7e57-0000-4000-8000-00000000bbbb";
    public const int TaggedPerKind = 10;
    public const int ConfiguredApps = 5;

    private readonly List<int>[] _aiMembers;
    private readonly List<int>[] _aiOwners;

    public BenchTenant(BenchOptions options)
    {
        Options = options;
        _aiMembers = new List<int>[options.AiGroups];
        _aiOwners = new List<int>[options.AiGroups];
        for (var g = 0; g < options.AiGroups; g++)
        {
            _aiMembers[g] = [];
            _aiOwners[g] = [g % options.Users, (g + options.AiGroups) % options.Users];
        }

        for (var u = 0; u < options.Users; u++)
        {
            _aiMembers[u % options.AiGroups].Add(u);
        }
    }

    public BenchOptions Options { get; }

    public int FirstOwnSp => Options.ServicePrincipals * 7 / 10;

    public int FirstThirdPartySp => Options.ServicePrincipals * 9 / 10;

    public static string Id(string kind, int index) => $"{index:x8}-{kind}-4{kind[1..]}-8{kind[1..]}-{index:x12}";

    public static string UserId(int i) => Id("1111", i);

    public static string GroupId(int i) => Id("2222", i);

    public static string SpId(int i) => Id("3333", i);

    public static string ApplicationId(int i) => Id("4444", i);

    public static string AppId(int i) => Id("5555", i);

    /// <summary>The object an id names: its kind marker and index, or null when it is not one of ours.</summary>
    public static (string Kind, int Index)? Parse(string id)
    {
        var parts = id.Split('-');
        return parts.Length == 5 && int.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var index)
            ? (parts[1], index)
            : null;
    }

    public IEnumerable<string> ConfiguredGroupIds => Enumerable.Range(0, Options.AiGroups).Select(GroupId);

    public IEnumerable<string> ConfiguredAppIds => Enumerable.Range(FirstThirdPartySp + TaggedPerKind, ConfiguredApps).Select(AppId);

    public bool IsAiGroup(int group) => group < Options.AiGroups;

    public IReadOnlyList<int> Members(int group) =>
        IsAiGroup(group) ? _aiMembers[group] : Enumerable.Range(0, 20).Select(j => (int)((group * 7919L + j * 104729L) % Options.Users)).Distinct().ToList();

    public IReadOnlyList<int> Owners(int group) => IsAiGroup(group) ? _aiOwners[group] : [group % Options.Users];

    public void AddMember(int group, int user)
    {
        if (!_aiMembers[group].Contains(user))
        {
            _aiMembers[group].Add(user);
        }
    }

    public void RemoveMember(int group, int user) => _aiMembers[group].Remove(user);

    public string SpOwner(int sp) => sp >= FirstOwnSp && sp < FirstThirdPartySp ? "own" : sp < FirstOwnSp ? "microsoft" : "vendor";

    public bool IsTagged(int sp) =>
        (sp >= FirstOwnSp && sp < FirstOwnSp + TaggedPerKind) || (sp >= FirstThirdPartySp && sp < FirstThirdPartySp + TaggedPerKind);

    public bool IsManagedIdentity(int sp) => SpOwner(sp) == "own" && sp % 10 == 9 && !IsTagged(sp);

    /// <summary>Every AI app (tagged or configured): what the AI-app areas resolve.</summary>
    public IEnumerable<int> AiSps =>
        Enumerable.Range(0, Options.ServicePrincipals).Where(s => IsTagged(s) || (s >= FirstThirdPartySp + TaggedPerKind && s < FirstThirdPartySp + TaggedPerKind + ConfiguredApps));

    /// <summary>Delegated grants: one admin grant per app of ours or of a vendor, plus ten user consents per vendor app.</summary>
    public IEnumerable<(string Id, int Client, string ConsentType, int? Principal, string Scope)> Grants()
    {
        for (var s = FirstOwnSp; s < Options.ServicePrincipals; s++)
        {
            if (IsManagedIdentity(s))
            {
                continue;
            }

            yield return (Id("7777", s * 16), s, "AllPrincipals", null, "User.Read openid profile");
            if (SpOwner(s) == "vendor")
            {
                for (var j = 1; j <= 10; j++)
                {
                    yield return (Id("7777", (s * 16) + j), s, "Principal", (s * 31 + j) % Options.Users, "Mail.Read Files.Read.All");
                }
            }
        }
    }
}
