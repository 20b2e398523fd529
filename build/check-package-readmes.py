#!/usr/bin/env python3
"""Compiles every C# example of the package READMEs (src/*/PACKAGE.md) against the packed packages.

usage: check-package-readmes.py <feed folder> <version> <work folder>

Each ```csharp block becomes the Program.cs of its own console project that references its package by id and
version from the feed, as a reader's project would. A block that continues an earlier one (it uses variables it does
not declare) is preceded in PACKAGE.md by an HTML comment, invisible on a package page, with the declarations it
needs:  <!-- compile with: MLContext ml = new(); -->  . The examples are compiled, not run.
"""
import pathlib
import re
import subprocess
import sys

feed, version, work = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
root = pathlib.Path(__file__).resolve().parent.parent
block = re.compile(r"(?:<!-- compile with: (?P<context>.*?) -->\s*)?```csharp\n(?P<code>.*?)```", re.S)
using = re.compile(r"^using [A-Za-z.]+;$", re.M)

failures = 0
for readme in sorted(root.glob("src/*/PACKAGE.md")):
    package = readme.parent.name
    for number, match in enumerate(block.finditer(readme.read_text(encoding="utf-8")), start=1):
        code, context = match.group("code"), match.group("context") or ""
        usings = using.findall(code)
        statements = using.sub("", code).strip("\n")
        # Every namespace the packages have, so a continuing block may leave out the usings shown before it.
        for namespace in ("System", "System.IO", "System.Linq", "System.Collections.Generic", "Microsoft.ML", "Microsoft.ML.Data", "AdaBelief.Optimization", "MLNet.AdaBelief"):
            if package == "AdaBelief.Optimization" and namespace.startswith(("Microsoft.ML", "MLNet")):
                continue
            if f"using {namespace};" not in usings:
                usings.append(f"using {namespace};")
        project = work / f"{package}-{number}"
        project.mkdir(parents=True, exist_ok=True)
        for name in ("Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"):
            (project / name).write_text("<Project />\n")
        (project / "Example.csproj").write_text(f"""<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <!-- Examples may leave a variable unused (CS0168, CS0219) or declare a type after the statements. -->
    <NoWarn>$(NoWarn);CS0168;CS0219;CS8321</NoWarn>
    <RestoreAdditionalProjectSources>{feed}</RestoreAdditionalProjectSources>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="{package}" Version="[{version}]" />
  </ItemGroup>
</Project>
""")
        (project / "Program.cs").write_text("\n".join(usings) + "\n\n" + context + "\n" + statements + "\n")
        where = f"{readme.relative_to(root)} example {number}"
        result = subprocess.run(["dotnet", "build", str(project), "-nologo", "-v", "q", "-clp:ErrorsOnly"],
                                capture_output=True, text=True)
        if result.returncode == 0:
            print(f"ok      {where}")
        else:
            failures += 1
            print(f"FAILED  {where}\n{result.stdout}{result.stderr}")

sys.exit(1 if failures else 0)
