using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qraft.Tests.Infrastructure;

/// <summary>Posts GraphQL the way the original's clients did: JSON body, optional <c>Authorization: JWT …</c>.</summary>
public sealed class GraphQLClient(HttpClient http) : IDisposable
{
    public const string CreateUser =
        "mutation($email:String!,$password:String!){createUser(email:$email,password:$password){user{id email password dateJoined lastLogin}}}";

    public const string Login =
        "mutation($email:String!,$password:String!){login(email:$email,password:$password){token payload refreshExpiresIn refreshToken user{email password}}}";

    public HttpClient Http => http;

    public async Task<GqlResponse> PostAsync(string query, object? variables = null, string? authorization = null, CancellationToken cancellationToken = default)
    {
        using var request = PostRequest(query, variables, authorization);
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>The POST a client of the original sends, for tests that send it themselves.</summary>
    public static HttpRequestMessage PostRequest(string query, object? variables = null, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql/")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    public async Task<GqlResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new GqlResponse(response.StatusCode, body, response.Headers, response.Content.Headers.ContentType);
    }

    public async Task<(string Email, string Password)> SignUpAsync(string? email = null, string password = "correct horse battery")
    {
        email ??= UniqueEmail();
        var response = await PostAsync(CreateUser, new { email, password });
        Assert.True(response.Data("createUser") is JsonObject, response.Body);
        return (email, password);
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        var response = await PostAsync(Login, new { email, password });
        return response.Data("login")?["token"]?.GetValue<string>() ?? throw new InvalidOperationException(response.Body);
    }

    public static string UniqueEmail(string domain = "example.com") => $"u{Guid.NewGuid():N}@{domain}";

    public void Dispose() => http.Dispose();
}

public sealed record GqlResponse(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, MediaTypeHeaderValue? ContentType)
{
    public JsonNode? Json { get; } = TryParse(Body);

    public JsonNode? Data(string field) => Json?["data"]?[field];

    public JsonArray? Errors => Json?["errors"] as JsonArray;

    public string? FirstErrorCode => Errors?[0]?["extensions"]?["code"]?.GetValue<string>();

    public string? FirstErrorMessage => Errors?[0]?["message"]?.GetValue<string>();

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
