// Generated from specs/kling-official-v3/openapi.yaml by `npm run gen`. Do not edit.
export interface paths {
    "/v1/videos/text2video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a text-to-video task */
        post: operations["create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/text2video/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Query a task */
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
            /** @enum {string} */
            duration?: "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12" | "13" | "14" | "15";
            external_task_id?: string;
            /** @enum {string} */
            mode?: "std" | "pro";
            /** @enum {string} */
            model_name?: "kling-v3";
            multi_prompt?: {
                duration: string;
                index: number;
                prompt: string;
            }[];
            /** @default false */
            multi_shot?: boolean;
            negative_prompt?: string;
            prompt?: string;
            /** @enum {string} */
            shot_type?: "customize" | "intelligence";
            /**
             * @default off
             * @enum {string}
             */
            sound?: "on" | "off";
            watermark_info?: {
                enabled?: boolean;
            };
        };
        CreateResponse: {
            code: number;
            data?: {
                created_at?: number;
                task_id: string;
                task_info?: components["schemas"]["TaskInfo"];
                /** @constant */
                task_status: "submitted";
                updated_at?: number;
            };
            message: string;
            request_id: string;
        };
        Error: {
            code: number;
            message: string;
            request_id?: string;
        };
        TaskBase: {
            /** @constant */
            code: 0;
            data: {
                created_at?: number;
                task_id: string;
                task_info?: components["schemas"]["TaskInfo"];
                task_status: string;
                task_status_msg?: string;
                updated_at?: number;
            };
            message?: string;
            request_id?: string;
        };
        TaskFailed: components["schemas"]["TaskBase"] & {
            data?: {
                /** @constant */
                task_status?: "failed";
            };
        };
        TaskInfo: {
            external_task_id?: string;
        };
        TaskProcessing: components["schemas"]["TaskBase"] & {
            data?: {
                /** @constant */
                task_status?: "processing";
            };
        };
        TaskSubmitted: components["schemas"]["TaskBase"] & {
            data?: {
                /** @constant */
                task_status?: "submitted";
            };
        };
        TaskSucceed: components["schemas"]["TaskBase"] & {
            data?: {
                task_result: {
                    videos: {
                        duration: string;
                        id: string;
                        /** Format: uri */
                        url: string;
                    }[];
                };
                /** @constant */
                task_status?: "succeed";
            };
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
            /** @description Task accepted (envelope code 0), or refused in the envelope */
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
            403: components["responses"]["Error"];
            429: components["responses"]["Error"];
            500: components["responses"]["Error"];
            503: components["responses"]["Error"];
            504: components["responses"]["Error"];
        };
    };
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
            /** @description The task in its current status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskSubmitted"] | components["schemas"]["TaskProcessing"] | components["schemas"]["TaskSucceed"] | components["schemas"]["TaskFailed"];
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            429: components["responses"]["Error"];
        };
    };
}
