// Generated from specs/apiinone-kling-3/openapi.yaml by `npm run gen`. Do not edit.
export interface paths {
    "/api/v1/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 查询生成任务状态和结果 */
        get: operations["poll"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/videos/generations": {
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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CreateRequest: {
            /**
             * @default 16:9
             * @enum {string}
             */
            aspect_ratio?: "1:1" | "9:16" | "16:9";
            /** @default 5 */
            duration?: number;
            /** Format: uri */
            image?: string;
            kling_elements?: unknown[];
            /**
             * @default std
             * @enum {string}
             */
            mode?: "std" | "pro";
            /** @constant */
            model?: "kling-3";
            multi_prompt?: {
                duration: number | string;
                prompt: string;
            }[];
            /** @default false */
            multi_shots?: boolean;
            prompt?: string;
            /** @default true */
            sound?: boolean;
        };
        CreateResponse: {
            status: string;
            task_id: string;
        };
        Error: {
            error: {
                code: string;
                message: string;
            };
        };
        Task: {
            error?: {
                code?: string;
                message?: string;
            };
            result?: {
                duration?: number;
                /** Format: uri */
                video_url?: string;
            };
            status: string;
            task_id: string;
        };
        TaskCompleted: components["schemas"]["Task"] & {
            result: unknown;
            /** @constant */
            status?: "completed";
        };
        TaskFailed: components["schemas"]["Task"] & {
            /** @constant */
            status?: "failed";
        };
        TaskPending: components["schemas"]["Task"] & {
            /** @constant */
            status?: "pending";
        };
        TaskProcessing: components["schemas"]["Task"] & {
            /** @constant */
            status?: "processing";
        };
    };
    responses: {
        /** @description Error envelope (not documented; inferred) */
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
    poll: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Task status and result (body not documented; inferred) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
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
            /** @description Task accepted (body not documented; inferred) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateResponse"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            429: components["responses"]["Error"];
            500: components["responses"]["Error"];
        };
    };
}
