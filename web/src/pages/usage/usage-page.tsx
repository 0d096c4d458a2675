import { useState } from "preact/hooks";
import { Field } from "../../components/field";
import { Page, Section } from "../../components/page";
import { Async, Empty } from "../../components/states";
import { fmtInt, fmtUsd } from "../../lib/format";
import { useAsync } from "../../lib/use-async";
import { useSession } from "../../state/session";
import { UsageChart } from "./usage-chart";
import { type GroupBy, loadUsage, type Metric, RANGES, type RangeId } from "./usage-data";

const Select = <T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: [T, string][];
  onChange: (v: T) => void;
}) => (
  <Field label={label}>
    {(id) => (
      <select
        id={id}
        class="input"
        value={value}
        onChange={(e) => onChange((e.target as HTMLSelectElement).value as T)}
      >
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    )}
  </Field>
);

/** Usage and cost from the OpenAI-shaped Usage and Costs APIs, per hour or day, stacked by model or key. */
export const UsagePage = () => {
  const { project, projects } = useSession();
  const [range, setRange] = useState<RangeId>("7d");
  const [groupBy, setGroupBy] = useState<GroupBy>("api_key_id");
  const [metric, setMetric] = useState<Metric>("requests");
  const [scope, setScope] = useState<"project" | "all">("project");
  const state = useAsync(
    () =>
      loadUsage({
        range,
        groupBy,
        metric,
        projectIds: scope === "project" && project ? [project.id] : undefined,
        projects: scope === "project" && project ? [project] : projects,
      }),
    [range, groupBy, metric, scope, project?.id, projects.length],
  );
  const unit = metric === "cost" ? "USD" : metric === "tokens" ? "Tokens" : "Requests";
  return (
    <Page title="Usage" description="Requests, tokens and cost through this server's gateway.">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Select
          label="Period"
          value={range}
          options={Object.entries(RANGES).map(([k, v]) => [k as RangeId, v.label])}
          onChange={setRange}
        />
        <Select
          label="Show"
          value={metric}
          options={[
            ["requests", "Requests"],
            ["tokens", "Tokens"],
            ["cost", "Cost"],
          ]}
          onChange={setMetric}
        />
        <Select
          label="Stack by"
          value={groupBy}
          options={[
            ["api_key_id", "API key"],
            ["model", "Model"],
          ]}
          onChange={setGroupBy}
        />
        <Select
          label="Projects"
          value={scope}
          options={[
            ["project", `This project (${project?.name ?? "—"})`],
            ["all", "All projects"],
          ]}
          onChange={setScope}
        />
      </form>
      <Async state={state} what="usage">
        {(v) => (
          <>
            {!v.available && (
              <p class="warning">
                This server does not offer the Usage API yet, so there is nothing to chart.
              </p>
            )}
            <Section title={`${unit} per ${metric !== "cost" && range === "24h" ? "hour" : "day"}`}>
              {v.series.length === 0 ? (
                <Empty>No {unit.toLowerCase()} in this period.</Empty>
              ) : (
                <UsageChart
                  x={v.x}
                  series={v.series}
                  unit={unit}
                  hourly={metric !== "cost" && range === "24h"}
                />
              )}
              {metric === "cost" && !v.costAvailable && (
                <p class="hint">This server does not report costs yet.</p>
              )}
            </Section>
            <Section title="Totals">
              {v.totals.length === 0 ? (
                <Empty>Nothing to show yet. Requests through the gateway appear here within seconds.</Empty>
              ) : (
                <div class="table-wrap">
                  <table class="table" data-testid="usage-totals">
                    <caption class="visually-hidden">Usage totals for the period</caption>
                    <thead>
                      <tr>
                        <th scope="col">{groupBy === "model" ? "Model" : "API key"}</th>
                        <th scope="col" class="num">
                          Requests
                        </th>
                        <th scope="col" class="num">
                          Input tokens
                        </th>
                        <th scope="col" class="num">
                          Output tokens
                        </th>
                        <th scope="col" class="num">
                          Cost
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {v.totals.map((t) => (
                        <tr key={t.label}>
                          <th scope="row">{t.label}</th>
                          <td class="num">{fmtInt(t.requests)}</td>
                          <td class="num">{fmtInt(t.inputTokens)}</td>
                          <td class="num">{fmtInt(t.outputTokens)}</td>
                          <td class="num">{t.cost === null ? "—" : fmtUsd(t.cost)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
          </>
        )}
      </Async>
    </Page>
  );
};
