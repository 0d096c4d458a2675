import { CopyButton, CopyField } from "../components/copy-button";
import { Page, Section } from "../components/page";
import { useSession } from "../state/session";

const Snippet = ({ label, code }: { label: string; code: string }) => (
  <figure class="snippet">
    <figcaption>
      <span>{label}</span>
      <CopyButton text={code} what={`${label} snippet`} />
    </figcaption>
    <pre>
      <code>{code}</code>
    </pre>
  </figure>
);

/** Where the ids live and how to call this server with them (the guide's steps 4 and 5). */
export const OverviewPage = () => {
  const { session, project } = useSession();
  const base = window.location.origin;
  const orgId = session.organization.id;
  const projectId = project?.id ?? "proj_…";
  const curl = `curl ${base}/v1/chat/completions \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}'`;
  const python = `from openai import OpenAI

client = OpenAI(
    base_url="${base}/v1",
    organization="${orgId}",
    project="${projectId}",
)  # reads OPENAI_API_KEY from the environment
reply = client.chat.completions.create(
    model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello"}]
)`;
  const node = `import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "${base}/v1",
  organization: "${orgId}",
  project: "${projectId}",
}); // reads OPENAI_API_KEY from the environment`;
  const admin = `curl -H "Authorization: Bearer $KEYPLANE_ADMIN_KEY" \\
     ${base}/v1/organizations/${orgId}/projects/${projectId}/apikeys`;
  return (
    <Page title="Overview" description={`Signed in as ${session.user.email} (${session.user.role}).`}>
      <Section title="Identifiers">
        <CopyField label="Organization ID" value={orgId} />
        <CopyField label="Project ID" value={projectId} />
        <CopyField label="API base URL" value={`${base}/v1`} />
        <p class="hint">
          Project: <strong>{project?.name ?? "none yet"}</strong>. Switch projects at the top of the page.
        </p>
      </Section>
      <Section title="Quick start">
        <p>
          Create a key under <a href="#/keys">API keys</a>, export it as <code>OPENAI_API_KEY</code>, then use
          any OpenAI client with this server's URL:
        </p>
        <Snippet label="curl" code={curl} />
        <Snippet label="Python" code={python} />
        <Snippet label="Node.js" code={node} />
        <Snippet label="List this project's keys (admin key)" code={admin} />
      </Section>
    </Page>
  );
};
