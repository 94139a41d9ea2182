using System.Runtime.Serialization;
using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>Normalizes Graph directory objects into the compact facts every Entra kind shares.</summary>
internal static class EntraFacts
{
    /// <summary>The fields asked for with <c>$select</c> on member, owner and principal listings.</summary>
    public static readonly string[] PrincipalSelect = ["id", "displayName", "userPrincipalName", "mail", "accountEnabled", "userType", "appId"];

    public static readonly string[] ServicePrincipalSelect =
        ["id", "appId", "displayName", "appOwnerOrganizationId", "servicePrincipalType", "accountEnabled", "appRoleAssignmentRequired", "tags", "verifiedPublisher"];

    public static JsonObject Principal(DirectoryObject? value) => value switch
    {
        null => new JsonObject(),
        User user => Facts.Object(
            ("id", user.Id),
            ("type", "user"),
            ("displayName", user.DisplayName),
            ("userPrincipalName", user.UserPrincipalName),
            ("userType", user.UserType),
            ("accountEnabled", user.AccountEnabled)),
        Group group => Facts.Object(("id", group.Id), ("type", "group"), ("displayName", group.DisplayName)),
        ServicePrincipal sp => Facts.Object(("id", sp.Id), ("type", "servicePrincipal"), ("displayName", sp.DisplayName), ("appId", sp.AppId), ("accountEnabled", sp.AccountEnabled)),
        _ => Facts.Object(("id", value.Id), ("type", TypeName(value.OdataType)), ("displayName", value.AdditionalData.TryGetValue("displayName", out var n) ? n?.ToString() : null)),
    };

    public static JsonObject ServicePrincipalFacts(ServicePrincipal sp) => Facts.Object(
        ("id", sp.Id),
        ("appId", sp.AppId),
        ("displayName", sp.DisplayName),
        ("appOwnerOrganizationId", sp.AppOwnerOrganizationId?.ToString("D")),
        ("servicePrincipalType", sp.ServicePrincipalType),
        ("accountEnabled", sp.AccountEnabled),
        ("appRoleAssignmentRequired", sp.AppRoleAssignmentRequired),
        ("tags", Facts.Set(sp.Tags)),
        ("verifiedPublisher", sp.VerifiedPublisher is { VerifiedPublisherId: { } vid } vp
            ? Facts.Object(("id", vid), ("displayName", vp.DisplayName))
            : null));

    /// <summary><c>#microsoft.graph.servicePrincipal</c> → <c>servicePrincipal</c>.</summary>
    public static string TypeName(string? odataType) =>
        string.IsNullOrEmpty(odataType) ? "directoryObject" : odataType[(odataType.LastIndexOf('.') + 1)..];

    /// <summary>An SDK enum as Graph writes it on the wire (<c>absoluteMonthly</c>, not <c>AbsoluteMonthly</c>).</summary>
    public static string? Wire<T>(T? value)
        where T : struct, Enum
    {
        if (value is not { } v)
        {
            return null;
        }

        var name = v.ToString();
        var member = typeof(T).GetField(name)?.GetCustomAttributes(typeof(EnumMemberAttribute), false).OfType<EnumMemberAttribute>().FirstOrDefault();
        return member?.Value ?? name;
    }

    /// <summary>Quotes a value for an OData string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>OData's timestamp literal (Graph filters take whole seconds in UTC).</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
