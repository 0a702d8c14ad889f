using GraphQL;

namespace Qraft.GraphQL.Errors;

/// <summary>An expected failure a client can act on; its <c>extensions.code</c> is part of the API (SPEC §3 Rules).</summary>
public abstract class QraftError : ExecutionError
{
    protected QraftError(string code, string message) : base(message) => Code = code;
}

/// <summary>The original service's message, kept byte for byte: token's email first, the attempted email second.</summary>
public sealed class AlreadyLoggedInError(string tokenEmail, string attemptedEmail)
    : QraftError("ALREADY_LOGGED_IN", $"이미 {tokenEmail}로 로그인 하였습니다.(로그인 시도한 계정: {attemptedEmail})");

/// <summary>One message for unknown email and wrong password alike, as django-graphql-jwt words it.</summary>
public sealed class InvalidCredentialsError() : QraftError("INVALID_CREDENTIALS", "Please enter valid credentials");

public sealed class EmailTakenError() : QraftError("EMAIL_TAKEN", "A user with that email already exists.");

public sealed class InvalidEmailError(string message) : QraftError("INVALID_EMAIL", message);

public sealed class WeakPasswordError(IEnumerable<string> problems) : QraftError("WEAK_PASSWORD", string.Join(" ", problems));

public sealed class TokenExpiredError(string message = TokenExpiredError.SignatureExpired) : QraftError("TOKEN_EXPIRED", message)
{
    public const string SignatureExpired = "Signature has expired";
}

public sealed class TokenInvalidError(string message = TokenInvalidError.DecodingFailed) : QraftError("TOKEN_INVALID", message)
{
    public const string DecodingFailed = "Error decoding signature";
}

public sealed class UnauthenticatedError() : QraftError("UNAUTHENTICATED", "Not logged in!");

public sealed class ForbiddenError() : QraftError("FORBIDDEN", "You do not have permission to perform this action");

public sealed class RateLimitedError() : QraftError("RATE_LIMITED", "Too many failed login attempts. Try again later.");

/// <summary>Correct credentials of an account that has not followed its verification link, with <c>Qraft__RequireVerifiedEmail</c> on.</summary>
public sealed class EmailNotVerifiedError() : QraftError("EMAIL_NOT_VERIFIED", "Confirm your email address first; resendVerification sends the link again.");

public sealed class MailRateLimitedError() : QraftError("RATE_LIMITED", "Too many mail requests. Try again later.");

public sealed class StorageUnavailableError() : QraftError("STORAGE_UNAVAILABLE", "Storage is temporarily unavailable. Please retry.");

public sealed class BadRequestError(string message) : QraftError("BAD_REQUEST", message);

/// <summary>Everything unexpected: the client learns nothing of the exception, the log gets all of it.</summary>
public sealed class InternalError() : QraftError("INTERNAL", "Internal server error");
