using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Shared.Http.Idempotency;

/// <summary>Writes a stored response byte for byte, so a replay is exactly the first response.</summary>
public sealed class StoredJsonResponse(StoredResponse response, bool replayed) : IActionResult
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext.Response;
        http.StatusCode = response.Status;
        http.ContentType = "application/json; charset=utf-8";
        if (response.Location is not null)
        {
            http.Headers.Location = response.Location;
        }

        if (replayed)
        {
            http.Headers[ReplayedHeader] = "true";
        }

        await http.Body.WriteAsync(Encoding.UTF8.GetBytes(response.Body), context.HttpContext.RequestAborted);
    }
}
