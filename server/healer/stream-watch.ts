import { unreachable } from '../client/errors.ts';

/** Whether the event stream is connected, and if not, why. */
export interface StreamStatus {
  connected: boolean;
  reason: string;
}

/**
 * A fetch for subscribe() that reports the stream's connection: up when the hub answers 2xx,
 * down when the request fails, the hub answers otherwise, or the body ends or breaks.
 */
export function watchedFetch(hubUrl: string, inner: typeof fetch, report: (status: StreamStatus) => void): typeof fetch {
  return async (input, init) => {
    let res: Response;
    try {
      res = await inner(input, init);
    } catch (error) {
      report({ connected: false, reason: unreachable(hubUrl, error).message });
      throw error;
    }
    if (!res.ok || !res.body) {
      report({ connected: false, reason: `the hub answered ${res.status} to GET /events` });
      return res;
    }
    report({ connected: true, reason: 'connected' });
    const reader = res.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            report({ connected: false, reason: 'the hub ended the event stream; reconnecting' });
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (error) {
          report({ connected: false, reason: `the event stream broke: ${(error as Error).message}; reconnecting` });
          controller.error(error);
        }
      },
      cancel(reason) {
        report({ connected: false, reason: 'the event stream was closed' });
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
