# Image qraft_users:latest: the Qraft function app on the Azure Functions
# host (isolated worker, .NET 10). Build: docker build -t qraft_users:latest ./
# The host listens on port 80 and serves /graphql/, /health, /health/ready
# and /metrics (host.json sets routePrefix to "").

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# A C compiler, so the publish builds libqraft_pbkdf2.so (the SHA-NI PBKDF2 engine) into the app; without one the
# image would still work, hashing with .NET's slower PBKDF2.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish Qraft.Functions/Qraft.Functions.csproj -c Release -o /home/site/wwwroot \
    --nologo

FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
# Runs as root, as the base image does: running the Functions host as a
# non-root user (USER $APP_UID) fails at run time (Azure/azure-functions-host
# #10164) and port 80 would need a capability. The container is reachable
# only through HAProxy on compose's internal network.
# DOTNET_GCgen0size: a 6 MB gen0 budget keeps the worker ~14 MB smaller under
# load at the same throughput (bench/FINDINGS.md); the GC reads it from the
# environment only, so it cannot live in the project file.
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    FUNCTIONS_WORKER_RUNTIME=dotnet-isolated \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    DOTNET_GCgen0size=0x600000
COPY --from=build ["/home/site/wwwroot", "/home/site/wwwroot"]
EXPOSE 80
