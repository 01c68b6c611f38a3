#!/usr/bin/env bash
# `npm run tools`: installs the real Azure tools the tests check the project against, pinned, into .tools/
# (git-ignored). Everything comes from NuGet through the .NET SDK's own client, so no download URL is
# hard-coded and the machine's NuGet configuration (mirrors, proxies) applies.
#
#   .tools/bin/bicep   Bicep CLI           (NuGet: Azure.Bicep.CommandLine.linux-x64)
#   .tools/bin/pwsh    PowerShell 7        (dotnet tool: PowerShell)
#   .tools/modules/    Pester 5            (NuGet: Pester; put on PSModulePath by the tests)
#
# Re-running it is cheap: a tool already at its pinned version is left alone.
set -euo pipefail
cd "$(dirname "$0")/../.."

BICEP_VERSION=0.49.2
PWSH_VERSION=7.6.10       # the newest PowerShell tool (7.7.0) fails to install on .NET 10; pin explicitly
PESTER_VERSION=5.7.1

TOOLS="$PWD/.tools"
mkdir -p "$TOOLS/bin" "$TOOLS/modules" "$TOOLS/nuget"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "npm run tools: the .NET SDK (dotnet) is needed to fetch Bicep, PowerShell and Pester from NuGet." >&2
  echo "Install it (https://learn.microsoft.com/dotnet/core/install/linux), then run 'npm run tools' again." >&2
  exit 1
fi

have_version() { # file expected-version
  [ -f "$1" ] && grep -qx "$2" "$1"
}

# Bicep and Pester ship as plain NuGet packages: a throwaway project restores them with PackageDownload.
if ! have_version "$TOOLS/bin/.bicep-version" "$BICEP_VERSION" || ! have_version "$TOOLS/modules/.pester-version" "$PESTER_VERSION"; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cat >"$work/tools.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net$(dotnet --version | cut -d. -f1).0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" />
    <PackageDownload Include="Pester" Version="[$PESTER_VERSION]" />
  </ItemGroup>
</Project>
CSPROJ
  echo "Fetching Bicep $BICEP_VERSION and Pester $PESTER_VERSION from NuGet..."
  dotnet restore "$work/tools.csproj" --packages "$TOOLS/nuget" --verbosity quiet >/dev/null
  install -m 0755 "$TOOLS/nuget/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep" "$TOOLS/bin/bicep"
  echo "$BICEP_VERSION" >"$TOOLS/bin/.bicep-version"
  rm -rf "$TOOLS/modules/Pester"
  mkdir -p "$TOOLS/modules/Pester/$PESTER_VERSION"
  cp -R "$TOOLS/nuget/pester/$PESTER_VERSION/tools/." "$TOOLS/modules/Pester/$PESTER_VERSION/"
  echo "$PESTER_VERSION" >"$TOOLS/modules/.pester-version"
fi

if ! have_version "$TOOLS/bin/.pwsh-version" "$PWSH_VERSION"; then
  echo "Installing PowerShell $PWSH_VERSION (dotnet tool)..."
  rm -rf "$TOOLS/pwsh"
  dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path "$TOOLS/pwsh" >/dev/null
  ln -sf "$TOOLS/pwsh/pwsh" "$TOOLS/bin/pwsh"
  echo "$PWSH_VERSION" >"$TOOLS/bin/.pwsh-version"
fi

# A quick proof that each tool runs, and where it is.
echo "bicep   $("$TOOLS/bin/bicep" --version | head -1)   -> $TOOLS/bin/bicep"
echo "pwsh    $("$TOOLS/bin/pwsh" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()')   -> $TOOLS/bin/pwsh"
echo "Pester  $PESTER_VERSION   -> $TOOLS/modules/Pester/$PESTER_VERSION"
