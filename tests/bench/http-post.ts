import http from 'node:http';

export interface PostResult {
  status: number;
  /** The body, read when `keepBody` is set or the answer is not 2xx (for the report). */
  body?: string;
}

/** POSTs a JSON body with plain `http` (low client overhead) and resolves with the status. */
export function postJson(
  agent: http.Agent,
  base: URL,
  path: string,
  body: string,
  headers: Record<string, string> = {},
  keepBody = false,
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', reject);
        if (!keepBody && status >= 200 && status < 300) {
          res.resume();
          res.on('end', () => resolve({ status }));
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status, body: keepBody ? text : text.slice(0, 300) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A one-line reason for a refused request, for the report. */
export function refusal(result: PostResult): string {
  return `${result.status} ${(result.body ?? '').slice(0, 300)}`.trim();
}
