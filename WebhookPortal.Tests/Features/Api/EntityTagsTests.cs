using Microsoft.AspNetCore.Http;
using WebhookPortal.Features.Api;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>How a change that collided with another one saved at the same moment is answered, with and without If-Match.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EntityTagsTests
{
    [Fact]
    public void A_collision_without_If_Match_is_a_409_that_does_not_speak_of_If_Match()
    {
        var request = new DefaultHttpContext().Request;

        var problem = EntityTags.Collided(request, "Webhook 7 of client ID crm");

        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Contains("changed by another request at the same moment", problem.ProblemDetails.Detail);
        Assert.DoesNotContain("If-Match", problem.ProblemDetails.Detail);
    }

    [Fact]
    public void A_collision_with_If_Match_naming_a_version_is_a_412()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.IfMatch = "\"v1\"";

        var problem = EntityTags.Collided(request, "Webhook 7 of client ID crm");

        Assert.Equal(StatusCodes.Status412PreconditionFailed, problem.StatusCode);
        Assert.Contains("If-Match", problem.ProblemDetails.Detail);
    }
}
