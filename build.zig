//! build.zig: builds briefc (C11) and its tests with the system libharu, libxml2 and zlib.
//! Steps: `zig build` (install), `run` (compile sources/ into output/), `test`, `bench`, `fuzz`.
const std = @import("std");

const cflags = [_][]const u8{
    "-std=c11",        "-Wall",          "-Wextra", "-Werror",
    "-Wno-unused-parameter", "-D_DEFAULT_SOURCE", "-fno-strict-aliasing",
};

/// The compiler's sources, stage by stage (docs/ARCHITECTURE.md).
const lib_sources = [_][]const u8{
    "compiler/base/util.c",
    "compiler/base/diag.c",
    "compiler/base/output.c",
    "compiler/base/sha256.c",
    "compiler/base/take.c",
    "compiler/read/xmlread.c",
    "compiler/read/facets.c",
    "compiler/read/style.c",
    "compiler/read/image.c",
    "compiler/read/model.c",
    "compiler/transform/doc.c",
    "compiler/transform/transform.c",
    "compiler/layout/font.c",
    "compiler/layout/hyphen.c",
    "compiler/layout/patterns.c",
    "compiler/layout/linebreak.c",
    "compiler/layout/para.c",
    "compiler/layout/page.c",
    "compiler/layout/tlplace.c",
    "compiler/layout/layout.c",
    "compiler/render/render_pdf.c",
    "compiler/render/latex_escape.c",
    "compiler/render/render_latex.c",
    "compiler/driver.c",
};

fn linkLibs(m: *std.Build.Module) void {
    m.linkSystemLibrary("libxml-2.0", .{ .use_pkg_config = .force });
    m.linkSystemLibrary("harfbuzz", .{ .use_pkg_config = .force });
    m.linkSystemLibrary("harfbuzz-subset", .{ .use_pkg_config = .force });
    m.linkSystemLibrary("fontconfig", .{ .use_pkg_config = .force });
    m.linkSystemLibrary("hpdf", .{ .use_pkg_config = .no }); // Debian ships no .pc for libharu
    m.linkSystemLibrary("z", .{ .use_pkg_config = .no });
    m.linkSystemLibrary("libdeflate", .{ .use_pkg_config = .force });
    m.linkSystemLibrary("hyphen", .{ .use_pkg_config = .no });
    m.linkSystemLibrary("libpng", .{ .use_pkg_config = .force });
    m.linkSystemLibrary("jpeg", .{ .use_pkg_config = .no });
    m.linkSystemLibrary("m", .{ .use_pkg_config = .no });
}

/// What the binary embeds: the C array's name and the file (tests/fuzz/run.sh reads this
/// list too).
const embedded_files = [_][2][]const u8{
    .{ "briefc_schema_dossier", "compiler/schema/dossier.rng" },
    .{ "briefc_schema_style", "compiler/schema/style.rng" },
    .{ "briefc_style_briefing", "styles/briefing.xml" },
    .{ "briefc_style_memo", "styles/memo.xml" },
    .{ "briefc_style_digest", "styles/digest.xml" },
};

/// A module of the compiler's sources (with the embedded schemas and styles), linked with
/// the system libraries; the caller adds main.c or the unit tests.
fn compilerModule(b: *std.Build, target: std.Build.ResolvedTarget, optimize: std.builtin.OptimizeMode, embedded_c: std.Build.LazyPath) *std.Build.Module {
    const m = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
    m.addCSourceFiles(.{ .files = &lib_sources, .flags = &cflags });
    m.addCSourceFile(.{ .file = embedded_c, .flags = &.{"-std=c11"} });
    linkLibs(m);
    return m;
}

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    // Build-time tool: the schemas and the default style become C arrays in the binary.
    const embed = b.addExecutable(.{
        .name = "embed",
        .root_module = b.createModule(.{ .target = b.graph.host, .optimize = .Debug, .link_libc = true }),
    });
    embed.root_module.addCSourceFile(.{ .file = b.path("compiler/embed/embed.c"), .flags = &cflags });
    const gen = b.addRunArtifact(embed);
    const embedded_c = gen.addOutputFileArg("embedded.c");
    for (embedded_files) |e| {
        gen.addArg(e[0]);
        gen.addFileArg(b.path(e[1]));
    }

    const mod = compilerModule(b, target, optimize, embedded_c);
    mod.addCSourceFile(.{ .file = b.path("compiler/main.c"), .flags = &cflags });
    const exe = b.addExecutable(.{ .name = "briefc", .root_module = mod });
    // Link-time optimisation in release builds: the stages' small helpers (UTF-8, widths,
    // buffers) are inlined across files; 10% off 1,000 pages, the same bytes out.
    if (optimize != .Debug) exe.lto = .full;
    b.installArtifact(exe);

    // Unit tests: the library sources with tests/unit/*.c instead of main.c.
    const umod = compilerModule(b, target, optimize, embedded_c);
    umod.addCSourceFiles(.{ .files = &.{ "tests/unit/unit_main.c", "tests/unit/test_base.c", "tests/unit/test_read.c", "tests/unit/test_layout.c" }, .flags = &cflags });
    umod.addIncludePath(b.path("compiler"));
    const unit = b.addExecutable(.{ .name = "briefc-unit", .root_module = umod });
    const install_unit = b.addInstallArtifact(unit, .{});
    const unit_step = b.step("unit", "Build the unit tests' binary (zig-out/bin/briefc-unit) alone");
    unit_step.dependOn(&install_unit.step);

    // run: every source in sources/ with the default style into output/: the full briefing
    // and a report on every topic.
    const run_step = b.step("run", "Compile every source in sources/ into output/");
    var dir = b.build_root.handle.openDir("sources", .{ .iterate = true }) catch @panic("no sources/ directory");
    defer dir.close();
    var names: std.ArrayList([]const u8) = .empty;
    var it = dir.iterate();
    while (it.next() catch null) |entry| {
        if (entry.kind == .file and std.mem.endsWith(u8, entry.name, ".xml"))
            names.append(b.allocator, b.dupe(entry.name)) catch @panic("OOM");
    }
    std.mem.sort([]const u8, names.items, {}, struct {
        fn lt(_: void, a: []const u8, c: []const u8) bool {
            return std.mem.lessThan(u8, a, c);
        }
    }.lt);
    for (names.items) |name| {
        const r = b.addRunArtifact(exe);
        r.setCwd(b.path("."));
        r.addArgs(&.{ "build", b.fmt("sources/{s}", .{name}), "--out", "output", "--all-topics" });
        r.has_side_effects = true;
        run_step.dependOn(&r.step);
    }

    // test: unit tests and end-to-end checks; the driver prints "N passed, N failed".
    const test_step = b.step("test", "Run the whole test suite");
    const t = b.addSystemCommand(&.{ "python3", "tests/run.py" });
    t.setCwd(b.path("."));
    t.addArg("--briefc");
    t.addArtifactArg(exe);
    t.addArg("--unit");
    t.addArtifactArg(unit);
    t.has_side_effects = true;
    t.stdio = .inherit;
    t.step.dependOn(&install_unit.step);
    t.step.dependOn(b.getInstallStep());
    test_step.dependOn(&t.step);

    // fuzz: the libFuzzer harness (tests/fuzz/fuzz_source.c) built by clang under ASan and
    // UBSan, fuzzing for as long as asked: `zig build fuzz -- 3600` (seconds; 0: until stopped).
    const fuzz_step = b.step("fuzz", "Fuzz the compiler with libFuzzer, ASan and UBSan (zig build fuzz -- SECONDS)");
    const fz = b.addSystemCommand(&.{ "sh", "tests/fuzz/run.sh" });
    fz.setCwd(b.path("."));
    if (b.args) |args| fz.addArgs(args);
    fz.has_side_effects = true;
    fz.stdio = .inherit;
    fuzz_step.dependOn(&fz.step);

    // bench: briefc and a libharu-only baseline, both ReleaseFast whatever -Doptimize says,
    // measured by tests/bench/bench.py (`zig build bench -- --sizes 10,100` passes options).
    const bench_step = b.step("bench", "Measure briefc (ReleaseFast) against a libharu-only baseline");
    const bench_mod = compilerModule(b, target, .ReleaseFast, embedded_c);
    bench_mod.addCSourceFile(.{ .file = b.path("compiler/main.c"), .flags = &cflags });
    const bench_exe = b.addExecutable(.{ .name = "briefc-release", .root_module = bench_mod });
    bench_exe.lto = .full; // (as a release build of briefc is)
    const base_mod = b.createModule(.{ .target = target, .optimize = .ReleaseFast, .link_libc = true });
    base_mod.addCSourceFile(.{ .file = b.path("tests/bench/baseline.c"), .flags = &cflags });
    for ([_][]const u8{ "hpdf", "z", "m" }) |lib| base_mod.linkSystemLibrary(lib, .{ .use_pkg_config = .no });
    const base_exe = b.addExecutable(.{ .name = "bench-baseline", .root_module = base_mod });
    const bench = b.addSystemCommand(&.{ "python3", "tests/bench/bench.py" });
    bench.setCwd(b.path("."));
    bench.addArg("--briefc");
    bench.addArtifactArg(bench_exe);
    bench.addArg("--baseline");
    bench.addArtifactArg(base_exe);
    if (b.args) |args| bench.addArgs(args);
    bench.has_side_effects = true;
    bench.stdio = .inherit;
    bench_step.dependOn(&bench.step);
}
