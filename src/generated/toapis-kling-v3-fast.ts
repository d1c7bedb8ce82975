// Generated from specs/toapis-kling-v3-fast/openapi.yaml by `npm run gen`. Do not edit.
export interface paths {
    "/v1/videos/generations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a video generation task */
        post: operations["create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/generations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a task */
        get: operations["poll"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CreateRequest: {
            /** @enum {string} */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** Format: uri */
            callback_url?: string;
            duration?: number;
            metadata?: Record<string, never>;
            mode?: string;
            /** @constant */
            model: "kling-v3-fast";
            prompt: string;
            reference_images?: string[];
            /** @enum {string} */
            resolution?: "720p" | "1080p";
            size?: string;
            /** @default false */
            watermark?: boolean;
        };
        Error: {
            error: {
                code: string | number;
                message: string;
                type?: string;
            };
        };
        TaskBase: {
            /** @description Unix seconds */
            created_at: number;
            id: string;
            metadata?: Record<string, never>;
            model: string;
            /** @constant */
            object: "generation.task";
            progress: number;
            status: string;
        };
        TaskCompleted: components["schemas"]["TaskBase"] & {
            completed_at: number;
            expires_at: number;
            result: {
                data: {
                    format?: string;
                    /** Format: uri */
                    url: string;
                }[];
                /** @constant */
                type: "video";
            };
            /** @constant */
            status?: "completed";
        };
        TaskFailed: components["schemas"]["TaskBase"] & {
            error: {
                code: string;
                message: string;
            };
            /** @constant */
            status?: "failed";
        };
        TaskInProgress: components["schemas"]["TaskBase"] & {
            /** @constant */
            status?: "in_progress";
        };
        TaskQueued: components["schemas"]["TaskBase"] & {
            /** @constant */
            status?: "queued";
        };
    };
    responses: {
        /** @description Error envelope */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRequest"];
            };
        };
        responses: {
            /** @description Task accepted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskQueued"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            402: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            500: components["responses"]["Error"];
            503: components["responses"]["Error"];
        };
    };
    poll: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task in its current status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskQueued"] | components["schemas"]["TaskInProgress"] | components["schemas"]["TaskCompleted"] | components["schemas"]["TaskFailed"];
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
}
