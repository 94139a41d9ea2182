// The worker project uses the plain SDK (not Sdk.Web), so the ASP.NET Core and hosting namespaces are imported here.
global using Microsoft.AspNetCore.Http;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Hosting;
global using Microsoft.Extensions.Logging;
