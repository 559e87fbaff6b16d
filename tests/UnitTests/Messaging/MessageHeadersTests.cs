using System.Text;
using Shop.Shared.Messaging;

namespace Shop.UnitTests.Messaging;

public sealed class MessageHeadersTests
{
    public static TheoryData<object?, int> AttemptValues => new()
    {
        { 3, 3 },
        { 4L, 4 },
        { (short)2, 2 },
        { (byte)1, 1 },
        { Encoding.UTF8.GetBytes("5"), 5 },
        { "6", 6 },
        { -1, 0 },
        { Encoding.UTF8.GetBytes("x"), 0 },
        { null, 0 },
    };

    [Theory]
    [MemberData(nameof(AttemptValues))]
    public void Failed_attempts_read_whatever_integer_type_the_broker_hands_back(object? value, int expected)
    {
        var headers = new Dictionary<string, object?> { [MessageHeaders.FailedAttempts] = value };

        Assert.Equal(expected, MessageHeaders.ReadFailedAttempts(headers));
    }

    [Fact]
    public void No_headers_means_no_failures_yet()
    {
        Assert.Equal(0, MessageHeaders.ReadFailedAttempts(null));
        Assert.Equal(0, MessageHeaders.ReadFailedAttempts(new Dictionary<string, object?>()));
    }

    [Fact]
    public void Strings_come_back_from_the_broker_as_bytes()
    {
        var headers = new Dictionary<string, object?> { [MessageHeaders.TraceParent] = Encoding.UTF8.GetBytes("00-abc-def-01") };

        Assert.Equal("00-abc-def-01", MessageHeaders.ReadString(headers, MessageHeaders.TraceParent));
        Assert.Null(MessageHeaders.ReadString(headers, "missing"));
    }

    [Fact]
    public void Error_descriptions_are_capped()
    {
        var description = MessageHeaders.DescribeError(new InvalidOperationException(new string('x', 2000)));

        Assert.Equal(500, description.Length);
        Assert.StartsWith("InvalidOperationException: ", description, StringComparison.Ordinal);
    }
}
