// Generated from specs/evolink-kling-v3-t2v/openapi.yaml by `npm run gen`. Do not edit.
export interface paths {
    "/v1/tasks/{id}": {
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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CreateRequest: {
            /** @enum {string} */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** Format: uri */
            callback_url?: string;
            /** @default 5 */
            duration?: number;
            /**
             * @default kling-v3-text-to-video
             * @constant
             */
            model: "kling-v3-text-to-video";
            model_params?: {
                multi_prompt?: {
                    duration: string;
                    index: number;
                    prompt: string;
                }[];
                /** @default false */
                multi_shot?: boolean;
                /** @enum {string} */
                shot_type?: "customize" | "intelligence";
                watermark_info?: {
                    enabled?: boolean;
                };
            };
            negative_prompt?: string;
            prompt?: string;
            /**
             * @default 720p
             * @enum {string}
             */
            quality?: "720p" | "1080p";
            /**
             * @default off
             * @enum {string}
             */
            sound?: "on" | "off";
        };
        CreateResponse: {
            created: number;
            id: string;
            /** @constant */
            object: "video.generation.task";
            progress?: number;
            /** @constant */
            status: "pending";
            task_info?: {
                can_cancel?: boolean;
                estimated_time?: number;
            };
            usage?: {
                /** @constant */
                billing_rule?: "per_second";
                credits_reserved?: number;
            };
        };
        Error: {
            error: {
                code: string;
                message: string;
                type?: string;
            };
        };
        TaskBase: {
            created?: number;
            id: string;
            object?: string;
            progress?: number;
            status: string;
        };
        TaskCompleted: components["schemas"]["TaskBase"] & {
            results: string[];
            /** @constant */
            status?: "completed";
        };
        TaskFailed: components["schemas"]["TaskBase"] & {
            error: {
                /** @enum {unknown} */
                code: "content_policy_violation" | "quota_exceeded" | "generation_timeout" | "service_error" | "resource_not_found";
                message?: string;
            };
            /** @constant */
            status?: "failed";
        };
        TaskPending: components["schemas"]["TaskBase"] & {
            /** @constant */
            status?: "pending";
        };
        TaskProcessing: components["schemas"]["TaskBase"] & {
            /** @constant */
            status?: "processing";
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
                    "application/json": components["schemas"]["TaskPending"] | components["schemas"]["TaskProcessing"] | components["schemas"]["TaskCompleted"] | components["schemas"]["TaskFailed"];
                };
            };
            400: components["responses"]["Error"];
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
            /** @description Task accepted */
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
            402: components["responses"]["Error"];
            429: components["responses"]["Error"];
            500: components["responses"]["Error"];
        };
    };
}
