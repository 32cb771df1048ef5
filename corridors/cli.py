"""The ``corridors`` command line.

Errors are one line on stderr and an exit code: 2 for bad usage or unknown places, 1 when no
route exists or the dataset is invalid; never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import click

from ._cli_common import (
    OneLineErrors,
    alternatives_option,
    corridors_option,
    data_option,
    draws_options,
    fail,
    friendly,
)
from .errors import NoRouteError, UsageError
from .schema import MODES

WEIGHT_CHOICES = ("distance", "time", "cost", "co2", "generalized")
MODE_CHOICES = MODES


_fail = fail
_friendly = friendly


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="corridors")
def cli() -> None:
    """Routes, alternatives and scenarios on the Eurasian transport corridors."""


def _route_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--weight",
            "-w",
            type=click.Choice(WEIGHT_CHOICES),
            default=None,
            help="What to minimise [default: time, or the scenario's].",
        ),
        click.option(
            "--mode",
            "-m",
            "modes",
            multiple=True,
            type=click.Choice(MODE_CHOICES),
            help="Allowed mode (repeat for several); all when not given.",
        ),
        click.option(
            "--avoid-country",
            "avoid_countries",
            multiple=True,
            metavar="ISO3",
            help="Country the route must not enter (repeatable).",
        ),
        click.option(
            "--avoid-tag",
            "avoid_tags",
            multiple=True,
            metavar="TAG",
            help="Tag of links the route must not use, e.g. lachin_corridor.",
        ),
        click.option(
            "--avoid-link",
            "avoid_links",
            multiple=True,
            metavar="LINK",
            help="Link id the route must not use (repeatable).",
        ),
        click.option(
            "--via",
            multiple=True,
            metavar="PLACE",
            help="Place the route must pass, in order (repeatable).",
        ),
        click.option(
            "--through-country",
            "through_countries",
            multiple=True,
            metavar="ISO3",
            help="Country the route must enter, in any order (repeatable).",
        ),
        click.option(
            "--through-tag",
            "through_tags",
            multiple=True,
            metavar="TAG",
            help="Tag of links the route must travel on, e.g. caspian (repeatable).",
        ),
        click.option(
            "--as-of",
            "as_of",
            metavar="YYYY-MM-DD",
            help="Date whose network to use (default: today).",
        ),
        click.option(
            "--ignore-embargoes",
            is_flag=True,
            help="Route on the physical network, ignoring the embargoes in force.",
        ),
        click.option(
            "--box",
            type=click.Choice(["20", "40"]),
            default="20",
            show_default=True,
            help="Container size, ft: costs and CO2 per 20-ft (TEU) or per 40-ft box.",
        ),
        data_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command()
@click.argument("origin")
@click.argument("destination")
@_route_options
@alternatives_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--sources",
    "show_sources",
    is_flag=True,
    help="Also show where every figure (length, speed, hours, rates) comes from.",
)
@corridors_option(
    "Best route of each corridor family instead: a group (east_west, caucasus, karabakh) "
    "or family ids separated by commas; see `corridors families`."
)
@click.option(
    "--scenario",
    "-s",
    metavar="NAME_OR_PATH",
    help="Apply a scenario (bundled name or TOML file); the options above narrow it further.",
)
@draws_options
@_friendly
def route(
    origin: str,
    destination: str,
    weight: str,
    modes: Sequence[str],
    avoid_countries: Sequence[str],
    avoid_tags: Sequence[str],
    avoid_links: Sequence[str],
    via: Sequence[str],
    through_countries: Sequence[str],
    through_tags: Sequence[str],
    as_of: str | None,
    ignore_embargoes: bool,
    box: str,
    data_dir: str | None,
    k: int,
    as_json: bool,
    show_sources: bool,
    families: str | None,
    scenario: str | None,
    draws: int | None,
    seed: int,
    deadline: float | None,
) -> None:
    """Show the best routes from ORIGIN to DESTINATION (ids, names or aliases)."""
    from .api import alternatives
    from .network import load_network

    net = load_network(data_dir, as_of=as_of)
    query: dict[str, Any] = {
        "weight": weight,
        "scenario": scenario,
        "as_of": as_of if scenario else None,
        "modes": modes or None,
        "avoid_countries": avoid_countries,
        "avoid_tags": avoid_tags,
        "avoid_links": avoid_links,
        "via": via,
        "through_countries": through_countries,
        "through_tags": through_tags,
        "embargoes": not ignore_embargoes,
        "box": int(box),
    }
    if families is not None:
        if k != 1:
            raise UsageError("use --alternatives or --corridors, not both")
        _print_families(
            net,
            origin,
            destination,
            families,
            query,
            as_json=as_json,
            draws=draws,
            seed=seed,
            deadline=deadline,
        )
        return
    if deadline is not None and draws is None:
        raise UsageError("--deadline needs --draws")
    routes = alternatives(net, origin, destination, k=k, **query)
    spread = _ranges(routes, draws=draws, seed=seed, deadline=deadline)
    if as_json:
        payload = {
            "routes": [
                {**r.to_dict(rank=i, sources=show_sources), **spread[i - 1]}
                for i, r in enumerate(routes, start=1)
            ]
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for i, r in enumerate(routes, start=1):
        click.echo(_route_table(r, rank=i, of=len(routes), net=net).rstrip("\n"))
        click.echo(_ranges_text(spread[i - 1]))
        if show_sources:
            from .reports import sources_text

            click.echo(sources_text(r.source_records()))


def _ranges(
    routes: Sequence[Any], *, draws: int | None, seed: int, deadline: float | None
) -> list[dict[str, Any]]:
    """P10/P50/P90 of time and cost per route (empty dicts without ``--draws``)."""
    if draws is None:
        return [{} for _ in routes]
    from .reliability import route_ranges

    found = route_ranges(
        list(routes),
        draws=draws,
        seed=seed,
        deadline_h=None if deadline is None else deadline * 24.0,
    )
    return [
        {k: (round(v, 3) if isinstance(v, float) else v) for k, v in f.items()}
        for f in found.figures
    ]


def _ranges_text(figures: dict[str, Any]) -> str:
    if not figures:
        return ""
    on_time = figures.get("on_time_share")
    deadline = "" if on_time is None else f" · on time {on_time:.0%}"
    return (
        f"  time P10/P50/P90 {figures['time_h_p10'] / 24:.1f} / {figures['time_h_p50'] / 24:.1f}"
        f" / {figures['time_h_p90'] / 24:.1f} days · cost P10/P50/P90 USD "
        f"{figures['cost_usd_p10']:,.0f} / {figures['cost_usd_p50']:,.0f} / "
        f"{figures['cost_usd_p90']:,.0f}{deadline}\n  spread from: {figures['drivers']}\n"
    )


def _print_families(
    net: Any,
    origin: str,
    destination: str,
    families: str,
    query: dict,
    *,
    as_json: bool,
    draws: int | None = None,
    seed: int = 0,
    deadline: float | None = None,
) -> None:
    import pandas as pd

    from .api import corridor_routes
    from .reports import short_note

    table = corridor_routes(net, origin, destination, families=families, **query)
    # one namedtuple per family; its fields are the table's columns, typed by pandas as Any
    rows: list[Any] = list(table.itertuples())
    found = [row.route for row in rows if row.route is not None]
    drawn = _ranges(found, draws=draws, seed=seed, deadline=deadline)
    spread = {id(r): figures for r, figures in zip(found, drawn, strict=True)}
    if as_json:
        payload = {
            "corridors": [
                {
                    "family": row.family,
                    "name": row.name,
                    "route": None
                    if row.route is None
                    else {**row.route.to_dict(), **spread[id(row.route)]},
                    "note": row.note,
                }
                for row in rows
            ]
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    o, d = net.resolve(origin), net.resolve(destination)
    names = net.node_records
    best = table.dropna(subset=["time_h"])
    weight = best["route"].iloc[0].weight if len(best) else (query["weight"] or "time")
    as_of = best["route"].iloc[0].as_of if len(best) else net.as_of
    lines = [
        f"{names[o]['name']} → {names[d]['name']} by corridor family "
        f"(minimising {weight}, as of {as_of})",
        f"  {'family':<42} {'km':>7} {'days':>5} {'USD/TEU':>8} {'kg CO2e':>8} "
        f"{'TEU/yr':>9}  countries",
    ]
    for row in rows:
        if row.route is None:
            lines.append(
                f"  {row.name:<42} {'—':>7} {'—':>5} {'—':>8} {'—':>8} {'—':>9}  "
                f"{short_note(row.note)}"
            )
            continue
        capacity = row.capacity_teu_year
        shown = "—" if pd.isna(capacity) else f"{capacity:,.0f}"
        lines.append(
            f"  {row.name:<42} {row.distance_km:>7,.0f} {row.time_h / 24:>5.1f} "
            f"{row.cost_usd:>8,.0f} {row.co2_kg:>8,.0f} {shown:>9}  {row.countries}"
        )
        if spread[id(row.route)]:
            lines.append("  " + _ranges_text(spread[id(row.route)]).strip().replace("\n", "\n  "))
    lines.append("  TEU/yr: the least published capacity on the route (reported, not enforced)")
    click.echo("\n".join(lines) + "\n")


def _bottleneck_line(r: Any) -> list[str]:
    b = r.bottleneck
    if b is None:
        return []
    return [
        f"  bottleneck {b['capacity_teu_year']:,.0f} TEU/year at {b['item']} "
        "(least published capacity on the route)"
    ]


def _generalized_line(r: Any, per: str) -> list[str]:
    """Say what the generalized cost is made of, when the route minimises it."""
    if r.weight != "generalized":
        return []
    g = r.generalized
    return [
        f"  generalized USD {r.generalized_usd:,.0f}/{per} = cost {r.cost_usd:,.0f}"
        f" + time {r.time_h:,.1f} h × {g.value_of_time_usd_per_h:,.2f}"
        f" + CO2e {r.co2_kg / 1000:,.2f} t × {g.carbon_price_usd_per_t:,.0f}"
        f" + war risk {r.risk_usd:,.0f} (sources: --sources)"
    ]


def _route_table(r: Any, *, rank: int, of: int, net: Any) -> str:
    from .routing import BorderCrossing, Dwell, Leg

    per = "TEU" if r.box == 20 else "40-ft box"

    name = net.node_records
    lines = [
        f"Route {rank} of {of}: {name[r.origin]['name']} → {name[r.destination]['name']} "
        f"(minimising {r.weight}, as of {r.as_of})",
        f"  {r.distance_km:,.0f} km · {r.time_h:,.1f} h ({r.time_h / 24:.1f} days) · "
        f"USD {r.cost_usd:,.0f}/{per} · {r.co2_kg:,.0f} kg CO2e/{per}",
        f"  countries {' → '.join(r.countries)} · {len(r.border_crossings)} border crossing(s) · "
        f"{len(r.transfers)} transfer(s)",
        *_bottleneck_line(r),
        *_generalized_line(r, per),
        f"  {'from':<16} {'to':<16} {'mode':<10} {'country':<7} {'km':>8} {'h':>7}",
    ]
    for step in r.steps:
        if isinstance(step, Leg):
            mode = f"{step.mode} {step.gauge_mm}" if step.gauge_mm else step.mode
            lines.append(
                f"  {step.from_node:<16} {step.to_node:<16} {mode:<10} {step.country or '—':<7} "
                f"{step.distance_km:>8,.0f} {step.time_h:>7.1f}"
            )
        elif isinstance(step, BorderCrossing):
            lines.append(
                f"    ↳ border {step.from_country}→{step.to_country} at {step.at}"
                f"{'':<{max(0, 30 - len(step.at))}} {step.hours:>7.1f}"
            )
        elif isinstance(step, Dwell):
            what = f"{step.kind} terminal dwell at {step.at} ({step.service})"
            lines.append(f"    ↳ {what:<58} {step.hours:>7.1f}")
        else:
            what = f"{step.kind} change {step.from_service}→{step.to_service} at {step.at}"
            lines.append(f"    ↳ {what:<58} {step.hours:>7.1f}")
    return "\n".join(lines) + "\n"


@cli.command(name="families")
@_friendly
def families_command() -> None:
    """List the corridor families that `route --corridors` compares."""
    from .families import load_families

    for family in load_families().values():
        rules = [
            f"{key.replace('_', ' ')} {', '.join(values)}"
            for key, values in (
                ("modes", family.modes),
                ("through_countries", family.through_countries),
                ("through_tags", family.through_tags),
                ("avoid_countries", family.avoid_countries),
                ("avoid_tags", family.avoid_tags),
            )
            if values
        ]
        click.echo(f"{family.group:<10} {family.id:<15} {family.name}")
        click.echo(f"{'':<27}{'; '.join(rules)}")


@cli.command()
@click.argument("query", required=False)
@data_option
@_friendly
def places(query: str | None, data_dir: str | None) -> None:
    """List places, or those whose id, name or alias matches QUERY."""
    from .network import load_network

    net = load_network(data_dir)
    found = net.places.search(query)
    if not found:
        _fail(net.places.unknown_message(query or ""), 2)
    for place in found:
        aliases = f"  ({', '.join(place.aliases)})" if place.aliases else ""
        click.echo(
            f"{place.id:<20} {place.name:<28} {place.country or '—':<4} {place.kind}{aliases}"
        )


@cli.command()
@click.argument("data_dir", required=False, type=click.Path(file_okay=False))
@_friendly
def validate(data_dir: str | None) -> None:
    """Check a dataset directory (default: the bundled one); print every problem."""
    from .network import validate as run_checks

    problems = run_checks(data_dir)
    for problem in problems:
        click.echo(problem)
    if problems:
        _fail(f"{len(problems)} problem(s) found", 1)
    click.echo("dataset is valid")


@cli.command()
@click.argument("scenarios", nargs=-1, metavar="[SCENARIO]...")
@click.option(
    "--od",
    "pairs",
    multiple=True,
    metavar="FROM:TO",
    help="Origin-destination pair to compare instead of the scenarios' lists.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="out",
    show_default=True,
    help="Folder for the CSV, Markdown, GeoPackage and maps.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a non-empty folder not made by corridors (its contents are deleted).",
)
@click.option("--no-maps", is_flag=True, help="Skip the maps (faster).")
@click.option(
    "--weight",
    "-w",
    type=click.Choice(WEIGHT_CHOICES),
    default=None,
    help="What every scenario minimises [default: each scenario's own].",
)
@corridors_option(
    "Compare the best route of each corridor family (e.g. east_west) in every scenario."
)
@data_option
@draws_options
@click.option(
    "--scheduler",
    default=None,
    metavar="local:N|tcp://HOST:PORT",
    help="With --draws: run the draws on Dask (a LocalCluster of N workers, or a cluster).",
)
@_friendly
def compare(
    scenarios: Sequence[str],
    pairs: Sequence[str],
    out_dir: str,
    force: bool,
    no_maps: bool,
    weight: str | None,
    families: str | None,
    data_dir: str | None,
    draws: int | None,
    seed: int,
    deadline: float | None,
    scheduler: str | None,
) -> None:
    """Compare SCENARIOs (bundled names or TOML files; all bundled ones by default)."""
    from pathlib import Path

    from ._progress import bar
    from .comparison import compare_routes
    from .network import load_network
    from .reports import check_output_dir, text_table, write_comparison
    from .scenarios import list_scenarios

    check_output_dir(Path(out_dir), force=force)  # fail before the work, not after
    od = [_parse_pair(p) for p in pairs] or None
    net = load_network(data_dir)
    chosen = list(scenarios) or list_scenarios()
    if (deadline is not None or scheduler is not None) and draws is None:
        raise UsageError("--deadline and --scheduler need --draws")
    with bar(total=len(chosen), desc="compare", unit=" scenario") as shown:

        def progress(done: int, total: int, name: str) -> None:
            shown.set_postfix_str(name, refresh=False)
            shown.update(done - shown.n)

        result = compare_routes(
            chosen, od=od, net=net, families=families, progress=progress, weight=weight
        )
    if draws is not None:
        result.table = _with_ranges(
            result, draws=draws, seed=seed, deadline=deadline, scheduler=scheduler
        )
    click.echo(text_table(result.table))
    if not no_maps:
        click.echo("drawing maps…", err=True)
    extra = [] if no_maps else _map_writers(ranges=draws is not None)
    written = write_comparison(result, out_dir, force=force, extra=extra)
    tables = [p.name for p in written if p.parent == Path(out_dir)]
    n_maps = len(written) - len(tables)
    maps_note = f" and {n_maps} maps in {out_dir}/maps/" if n_maps else ""
    click.echo(f"wrote {', '.join(tables)} to {out_dir}/{maps_note}")


def _with_ranges(
    result: Any, *, draws: int, seed: int, deadline: float | None, scheduler: str | None
) -> Any:
    from .comparison import add_ranges
    from .parallel import dask_client

    deadline_h = None if deadline is None else deadline * 24.0
    if scheduler is None:
        return add_ranges(result, draws=draws, seed=seed, deadline_h=deadline_h)
    with dask_client(scheduler) as client:
        return add_ranges(result, draws=draws, seed=seed, deadline_h=deadline_h, client=client)


@cli.command(name="map")
@click.option(
    "--scenario", "-s", metavar="NAME_OR_PATH", help="Scenario to draw (date, overrides)."
)
@click.option(
    "--region",
    "-r",
    default=None,
    metavar="NAME|W,S,E,N",
    help="eurasia, caucasus, caspian, world, or a bbox [default: fits the routes].",
)
@click.option(
    "--route", "pairs", multiple=True, metavar="FROM:TO", help="Route to draw (repeatable)."
)
@alternatives_option
@click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", help="Date (default: the scenario's, or today)."
)
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(dir_okay=False),
    default="map.png",
    show_default=True,
    help="File to write: .png, .svg, .pdf or .html (interactive).",
)
@click.option(
    "--dpi",
    type=click.IntRange(min=30, max=600),
    default=130,
    show_default=True,
    help="Resolution of PNG output.",
)
@corridors_option("Draw the best route of each corridor family of each --route (e.g. east_west).")
@data_option
@_friendly
def map_command(
    scenario: str | None,
    region: str | None,
    pairs: Sequence[str],
    k: int,
    as_of: str | None,
    output: str,
    dpi: int,
    families: str | None,
    data_dir: str | None,
) -> None:
    """Draw the network, or routes, as a static map or an interactive HTML map."""
    from pathlib import Path

    from . import maps
    from .api import alternatives
    from .network import load_network
    from .scenarios import resolve

    suffix = Path(output).suffix.lower()
    if suffix not in (".png", ".svg", ".pdf", ".html", ".htm"):
        raise UsageError(f"cannot write {output!r}: use .png, .svg, .pdf or .html")
    net = load_network(data_dir, as_of=as_of)
    chosen = resolve(scenario, net=net) if scenario else None
    shown = chosen.apply(net, as_of=as_of) if chosen else net
    if families is not None and (k != 1 or not pairs):
        raise UsageError("--corridors needs --route FROM:TO and no --alternatives")
    routes, labels, missing = [], [], []
    for pair in pairs:
        origin, destination = _parse_pair(pair, option="--route")
        # a scenario's network is taken as of --as-of; without one, net already is
        on = as_of if chosen else None
        if families is None:
            routes += alternatives(net, origin, destination, k=k, scenario=chosen, as_of=on)
            continue
        from .api import corridor_routes

        found = corridor_routes(
            net, origin, destination, families=families, scenario=chosen, as_of=on
        )
        pair = f" ({origin}→{destination})" if len(pairs) > 1 else ""
        missing += [f"{name}{pair}" for name in found.loc[found["time_h"].isna(), "name"]]
        found = found.dropna(subset=["time_h"])
        routes += found["route"].tolist()
        labels += [f"{name}{pair}" for name in found["name"]]
    if families is not None and not routes:
        raise NoRouteError(f"no corridor family {families!r} has a route for {', '.join(pairs)}")
    bbox = _parse_region(region)
    if suffix in (".html", ".htm"):
        title = _map_title(net, routes, chosen, by_family=families is not None) if routes else None
        page = maps.explore(
            routes or shown, net=shown, region=bbox, title=title, names=labels or None
        )
        page.save(output)
    elif routes:
        title = _map_title(net, routes, chosen, by_family=families is not None)
        ax = maps.plot_routes(
            routes, region=bbox, net=shown, labels=labels or None, title=title, missing=missing
        )
        maps.save_figure(ax, output, dpi=dpi)
    else:
        maps.save_figure(maps.plot_network(shown, region=bbox or "eurasia"), output, dpi=dpi)
    click.echo(f"wrote {output}")


def _map_title(net: Any, routes: Sequence[Any], chosen: Any, *, by_family: bool) -> str | None:
    """Title naming the pair, what is drawn, the date and the scenario; default for many pairs."""
    if len({(r.origin, r.destination) for r in routes}) != 1 or not (chosen or by_family):
        return None
    r, names = routes[0], net.node_records
    what = (
        "best route of each corridor family"
        if by_family
        else ("best route" if len(routes) == 1 else f"{len(routes)} routes")
    )
    scenario = f", scenario {chosen.name}" if chosen else ""
    return (
        f"{names[r.origin]['name']} → {names[r.destination]['name']}: {what}, "
        f"as of {r.as_of}{scenario}, minimising {r.weight}"
    )


def _parse_region(region: str | None) -> str | tuple[float, ...] | None:
    if region is None or "," not in region:
        return region
    try:
        values = tuple(float(v) for v in region.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise UsageError(f"--region {region!r} must be a name or W,S,E,N in degrees")
    return values


def _map_writers(*, ranges: bool = False) -> list:
    from .maps import comparison_maps

    if not ranges:
        return [comparison_maps]
    from .rangeplot import comparison_range_charts

    return [comparison_maps, comparison_range_charts]


def _parse_pair(text: str, *, option: str = "--od") -> tuple[str, str]:
    origin, sep, destination = text.partition(":")
    if not sep or not origin or not destination:
        raise UsageError(f"{option} {text!r} must look like FROM:TO, e.g. xian:duisburg")
    return origin, destination


def _register_osm() -> None:
    from ._cli_osm import osm

    cli.add_command(osm)


_register_osm()


def _register_calibration() -> None:
    from ._cli_calibration import calibration_command

    cli.add_command(calibration_command)


_register_calibration()


def _register_reliability() -> None:
    from ._cli_reliability import reliability_command

    cli.add_command(reliability_command)


_register_reliability()


def _register_matrix() -> None:
    from ._cli_matrix import matrix_command

    cli.add_command(matrix_command)


_register_matrix()


def _register_assign() -> None:
    from ._cli_assign import assign_command, criticality_command

    cli.add_command(assign_command)
    cli.add_command(criticality_command)


_register_assign()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (the ``corridors`` entry point)."""
    cli.main(args=argv, prog_name="corridors")


if __name__ == "__main__":  # pragma: no cover
    main()
