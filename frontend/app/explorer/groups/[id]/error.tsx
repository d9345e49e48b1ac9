'use client';

import { RouteError } from '../../../ui/route-error';

export default RouteError;
