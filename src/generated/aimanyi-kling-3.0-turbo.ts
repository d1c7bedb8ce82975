// Generated from specs/aimanyi-kling-3.0-turbo/openapi.yaml by `npm run gen`. Do not edit.
export interface paths {
    "/kling/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Query tasks (inferred) */
        get: operations["poll"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kling/text-to-video/kling-3.0-turbo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 文生视频 */
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
        /** @description 可灵 3.0 Turbo 文生视频请求体。prompt 与 contents[] 二选一提供提示词,顶层 prompt 优先级高于 contents[]。 */
        CreateRequest: {
            /** @description 【替代】提示词数组写法,与顶层 prompt 二选一。每项 type 必须为 "prompt"(文生不支持 first_frame)。 */
            contents?: {
                /** @description 提示词文本,最多 3072 字符。 */
                text: string;
                /**
                 * @description 文生视频固定为 "prompt",传入 "first_frame" 会报 400。
                 * @constant
                 */
                type: "prompt";
            }[];
            /** @description 任务控制参数,全部可选。 */
            options?: {
                /**
                 * Format: uri
                 * @description 任务完成后上游回调的 URL(需公网可访问)。
                 */
                callback_url?: string;
                /** @description 业务侧自定义任务 ID,便于幂等查询和对账。 */
                external_task_id?: string;
                /** @description 水印配置,结构由上游定义,原样透传。 */
                watermark_info?: Record<string, never>;
            };
            /** @description 【推荐】顶层提示词。最多 3072 字符。全角标点(,;:)由网关自动转为半角。与 contents[] 二选一,同时传入时 contents[] 被忽略。 */
            prompt?: string;
            /** @description 生成参数,全部可选。缺失时网关自动补默认值:resolution=720p, aspect_ratio=16:9, duration=5。 */
            settings?: {
                /**
                 * @description 画面宽高比,默认 16:9。
                 * @default 16:9
                 * @enum {string}
                 */
                aspect_ratio?: "16:9" | "9:16" | "1:1";
                /**
                 * @description 视频时长(秒),范围 3–15,默认 5。
                 * @default 5
                 */
                duration?: number;
                /**
                 * @description 输出分辨率,默认 720p。1080p 计费约 1.5×。
                 * @default 720p
                 * @enum {string}
                 */
                resolution?: "720p" | "1080p";
            };
        } & {
            [key: string]: unknown;
        };
        CreateResponse: {
            /** @description 0 = 成功;非 0 = 失败,详见 message 字段 */
            code: number;
            /** @description 任务信息。id 与 task_id 均可能携带任务 ID,优先取 id。 */
            data: {
                /** @description 任务 ID(优先) */
                id?: string;
                /** @description 初始任务状态,如 submitted / queued */
                status?: string;
                /** @description 任务 ID(备用,部分上游返回此字段) */
                task_id?: string;
                /** @description 同 status,字段名因上游而异 */
                task_status?: string;
            };
            message: string;
            /** @description 上游请求 ID,排查问题时提供给上游支持 */
            request_id?: string;
        };
        Error: {
            code: number;
            message: string;
            request_id?: string;
        };
        PollFailed: components["schemas"]["PollResponse"] & {
            data?: unknown;
        };
        PollProcessing: components["schemas"]["PollResponse"] & {
            data?: unknown;
        };
        PollResponse: {
            /** @constant */
            code: 0;
            data: components["schemas"]["Task"][];
            message: string;
            request_id?: string;
        };
        PollSubmitted: components["schemas"]["PollResponse"] & {
            data?: unknown;
        };
        PollSucceeded: components["schemas"]["PollResponse"] & {
            data?: unknown;
        };
        Task: {
            create_time?: number;
            error?: {
                code?: number;
                message?: string;
            };
            external_id?: string;
            id: string;
            outputs?: {
                duration?: number;
                id?: string;
                /** @constant */
                type: "video";
                /** Format: uri */
                url: string;
                watermark_url?: string;
            }[];
            status: string;
            update_time?: number;
        };
    };
    responses: {
        /** @description Error envelope (inferred from upstream) */
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
            query: {
                task_ids: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task in its current status (shape inferred from upstream) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PollResponse"];
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
            /** @description 成功 */
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
