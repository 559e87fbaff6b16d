using System.ComponentModel.DataAnnotations;
using System.Text;
using Shop.Shared.Http;

namespace Shop.UnitTests.Shared;

public sealed class JsonBodyTests
{
    private sealed record Sample
    {
        [Required, StringLength(10)]
        public string? Name { get; init; }

        [Range(0, 100)]
        public int Count { get; init; }
    }

    [Fact]
    public void A_valid_body_is_parsed()
    {
        var sample = Parse("{\"name\":\"kettle\",\"count\":3}");

        Assert.Equal(new Sample { Name = "kettle", Count = 3 }, sample);
    }

    [Theory]
    [InlineData("{\"name\":\"kettle\",\"count\":\"3\"}", "count")]
    [InlineData("{\"name\":{\"$gt\":\"\"}}", "name")]
    [InlineData("{\"name\":\"kettle\",\"extra\":1}", "extra")]
    [InlineData("{\"count\":1}", "name")]
    [InlineData("{\"name\":\"far too long a name\"}", "name")]
    [InlineData("{\"name\":\"k\",\"count\":101}", "count")]
    [InlineData("{\"name\":\"k\",\"count\":1e400}", "count")]
    [InlineData("{\"name\":\"k\",\"count\":99999999999}", "count")]
    public void Field_errors_name_the_field(string json, string field)
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(json)).Problem;

        Assert.Equal(400, problem.Status);
        Assert.NotNull(problem.Errors);
        Assert.Contains(field, problem.Errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("{\"name\":\"a\",}")]
    [InlineData("{\"name\":\"a\" /* comment */}")]
    [InlineData("{\"name\":\"a\",\"name\":\"b\"}")]
    public void Malformed_json_is_a_bad_request(string json)
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(json)).Problem;

        Assert.Equal(400, problem.Status);
        Assert.EndsWith("bad-request", problem.Type, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_before_deserialization()
    {
        var json = "{\"name\":\"a\",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.Equal(400, Assert.Throws<ProblemException>(() => Parse(json)).Problem.Status);
    }

    private static Sample Parse(string json) => JsonBody.Parse<Sample>(Encoding.UTF8.GetBytes(json));
}
