#!/usr/bin/env bash
# Warm `go test ./...` time against the build of an empty program that imports the same SDK
# packages, measured in the same run so the ratio holds on any machine.
# Run from the repository root: bench/test-time.sh
set -euo pipefail

empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT

mkdir -p "$empty/emptyprog"
cat > "$empty/emptyprog/main.go" <<'GO'
package main

import (
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {}
GO
# The empty program lives in the module so it resolves the same SDK versions.
rm -rf bench/cmd/emptyprog
cp -r "$empty/emptyprog" bench/cmd/emptyprog
trap 'rm -rf "$empty" bench/cmd/emptyprog' EXIT

go test ./... >/dev/null          # warm the build cache
go build -o /dev/null ./bench/cmd/emptyprog

seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }

go clean -testcache
t_test=$(seconds go test ./...)
touch bench/cmd/emptyprog/main.go
t_build=$(seconds go build -o /dev/null ./bench/cmd/emptyprog)

printf 'warm go test ./...: %.1f s\n' "$t_test"
printf 'empty program build (warm cache, same SDK packages): %.1f s\n' "$t_build"
printf 'ratio: %.1f\n' "$(echo "$t_test / $t_build" | bc -l)"
