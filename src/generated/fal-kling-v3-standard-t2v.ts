// Generated from specs/fal-kling-v3-standard-t2v/openapi.yaml by `npm run gen`. Do not edit.
export interface paths {
    "/fal-ai/kling-video/requests/{request_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The request's result */
        get: operations["result"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/kling-video/requests/{request_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Cancel a queued request */
        put: operations["cancel"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/kling-video/requests/{request_id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The request's queue status */
        get: operations["status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/fal-ai/kling-video/v3/standard/text-to-video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Submit a request to the queue */
        post: operations["submit"];
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
        CancelAnswer: {
            /** @enum {unknown} */
            status: "CANCELLATION_REQUESTED" | "ALREADY_COMPLETED" | "NOT_FOUND" | "OK";
        };
        Completed: components["schemas"]["StatusBase"] & {
            /** @constant */
            status?: "COMPLETED";
        };
        InProgress: components["schemas"]["StatusBase"] & {
            /** @constant */
            status?: "IN_PROGRESS";
        };
        Input: {
            /**
             * @default 16:9
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** @default 0.5 */
            cfg_scale?: number;
            /**
             * @default 5
             * @enum {string}
             */
            duration?: "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12" | "13" | "14" | "15";
            /** @default true */
            generate_audio?: boolean;
            multi_prompt?: {
                duration: string;
                prompt: string;
            }[];
            /** @default blur, distort, and low quality */
            negative_prompt?: string;
            prompt?: string;
            /**
             * @default customize
             * @enum {string}
             */
            shot_type?: "customize" | "intelligent";
        };
        InQueue: components["schemas"]["StatusBase"] & {
            /** @constant */
            status?: "IN_QUEUE";
        };
        ModelError: {
            detail: {
                ctx?: Record<string, never>;
                loc: (string | number)[];
                msg: string;
                type: string;
                url?: string;
            }[];
        };
        Output: {
            video: {
                content_type?: string;
                file_name?: string;
                file_size?: number;
                /** Format: uri */
                url: string;
            };
        };
        QueueSubmitted: {
            /** Format: uri */
            cancel_url: string;
            queue_position?: number;
            request_id: string;
            /** Format: uri */
            response_url: string;
            /** Format: uri */
            status_url: string;
        };
        RequestError: {
            detail: string;
            error_type?: string;
        };
        StatusBase: {
            logs?: Record<string, never>[] | null;
            queue_position?: number;
            /** Format: uri */
            response_url?: string;
            status: string;
        };
    };
    responses: {
        /** @description A model (validation) error */
        ModelError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ModelError"];
            };
        };
        /** @description A request (infrastructure) error */
        RequestError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["RequestError"];
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
    result: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The output */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Output"];
                };
            };
            400: components["responses"]["RequestError"];
            500: components["responses"]["RequestError"];
        };
    };
    cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancellation requested */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelAnswer"];
                };
            };
            400: components["responses"]["RequestError"];
        };
    };
    status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InQueue"] | components["schemas"]["InProgress"] | components["schemas"]["Completed"];
                };
            };
            /** @description The status while the request is queued or running */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InQueue"] | components["schemas"]["InProgress"];
                };
            };
            404: components["responses"]["RequestError"];
        };
    };
    submit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Input"];
            };
        };
        responses: {
            /** @description The request is queued */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueSubmitted"];
                };
            };
            400: components["responses"]["RequestError"];
            401: components["responses"]["RequestError"];
            422: components["responses"]["ModelError"];
            500: components["responses"]["RequestError"];
            503: components["responses"]["RequestError"];
            504: components["responses"]["RequestError"];
        };
    };
}
